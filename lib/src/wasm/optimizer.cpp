#include "wascc/wasm/optimizer.h"

#include <binaryen-c.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace wascc::optimizer {
namespace {

BinaryenFeatures to_binaryen(const wasm_features::FeatureSet& set) {
  struct Mapping {
    const char* wabt_name;
    BinaryenFeatures (*feature)();
  };
  static const Mapping kMappings[] = {
      {"mutable-globals", BinaryenFeatureMutableGlobals},
      {"saturating-float-to-int", BinaryenFeatureNontrappingFPToInt},
      {"sign-extension", BinaryenFeatureSignExt},
      {"simd", BinaryenFeatureSIMD128},
      {"threads", BinaryenFeatureAtomics},
      {"multi-value", BinaryenFeatureMultivalue},
      {"tail-call", BinaryenFeatureTailCall},
      {"bulk-memory", BinaryenFeatureBulkMemory},
      {"reference-types", BinaryenFeatureReferenceTypes},
      {"exceptions", BinaryenFeatureExceptionHandling},
      {"gc", BinaryenFeatureGC},
      {"memory64", BinaryenFeatureMemory64},
      {"function-references", BinaryenFeatureTypedFunctionReferences},
      {"relaxed-simd", BinaryenFeatureRelaxedSIMD},
      {"extended-const", BinaryenFeatureExtendedConst},
  };
  BinaryenFeatures features = BinaryenFeatureMVP();
  for (const auto& mapping : kMappings) {
    if (set.enabled(mapping.wabt_name)) features |= mapping.feature();
  }
  return features;
}

}  // namespace

Result<Level> parse_level(std::string_view flag_value) {
  if (flag_value.empty()) return Level{2, 1, "-O"};
  if (flag_value == "s") return Level{2, 1, "-Os"};
  if (flag_value == "z") return Level{2, 2, "-Oz"};
  if (flag_value.size() == 1 && flag_value[0] >= '0' && flag_value[0] <= '4') {
    return Level{flag_value[0] - '0', 0, "-O" + std::string(flag_value)};
  }
  return input_error("unknown optimization level -O" + std::string(flag_value) + ": use -O, -O0..-O4, -Os or -Oz");
}

Result<Bytes> optimize(ByteView wasm, const Level& level, const wasm_features::FeatureSet& features,
                       bool keep_debug_info) {
  // Binaryen's optimize and debug-info levels are process globals: one optimization at a time.
  static std::mutex binaryen_globals;
  std::lock_guard lock(binaryen_globals);
  std::string input(reinterpret_cast<const char*>(wasm.data()), wasm.size());
  std::unique_ptr<std::remove_pointer_t<BinaryenModuleRef>, decltype(&BinaryenModuleDispose)> module(
      BinaryenModuleRead(input.data(), input.size()), &BinaryenModuleDispose);
  if (!module) return invalid_error("Binaryen could not read the module");
  BinaryenModuleSetFeatures(module.get(), to_binaryen(features));
  if (!BinaryenModuleValidate(module.get())) {
    return invalid_error("Binaryen rejects the module (a feature it does not support?)");
  }
  BinaryenSetOptimizeLevel(level.optimize);
  BinaryenSetShrinkLevel(level.shrink);
  BinaryenSetDebugInfo(keep_debug_info);
  BinaryenModuleOptimize(module.get());
  BinaryenModuleAllocateAndWriteResult written = BinaryenModuleAllocateAndWrite(module.get(), nullptr);
  Bytes out(static_cast<uint8_t*>(written.binary), static_cast<uint8_t*>(written.binary) + written.binaryBytes);
  std::free(written.binary);
  std::free(written.sourceMap);
  return out;
}

}  // namespace wascc::optimizer
