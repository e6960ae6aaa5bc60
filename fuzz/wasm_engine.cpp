// A module from outside as an engine takes it: read and validated by WABT, instrumented for
// limits, loaded and instantiated by the interpreter (its start function runs under a small
// fuel budget), and disassembled as `watc --to-text` shows it.
#include "fuzz_input.h"
#include "wascc/engine/interp_engine.h"
#include "wascc/engine/metering.h"
#include "wascc/wasm/wat.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  const auto wasm = fuzz::bytes(data, size);
  const wasm_features::FeatureSet features;
  if (!wat::validate_binary(wasm, "fuzz.wasm", features)) return 0;
  (void)wat::to_text(wasm, "fuzz.wasm", features);
  (void)metering::instrument(wasm, "fuzz.wasm", features);
  static auto engine = interp_engine::create(features);
  auto loaded = engine->load(wasm, "fuzz.wasm");
  if (!loaded) return 0;
  limits::Limits limits;
  limits.fuel = 100'000;
  limits.timeout = std::chrono::milliseconds(1000);
  limits.max_memory_pages = 64;
  limits.max_table_elements = 10'000;
  (void)(*loaded)->instantiate({}, limits);
  return 0;
}
