// Which WebAssembly proposals a parse or validation accepts: WABT's feature set, named as
// WABT's own --enable-X / --disable-X flags, without exposing WABT types.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/result.h"

namespace wascc::wasm_features {

struct FeatureInfo {
  std::string name;  // "bulk-memory", "simd", ...
  bool enabled_by_default;
  std::string help;
};

// Every feature WABT knows, in WABT's order.
const std::vector<FeatureInfo>& known_features();

// Overrides on top of WABT's defaults: name -> enabled. "all" enables everything.
struct FeatureSet {
  std::map<std::string, bool> overrides;
  bool enable_all = false;

  bool enabled(std::string_view name) const;
};

// Checks that every override names a known feature.
Status check_names(const FeatureSet& features);

}  // namespace wascc::wasm_features
