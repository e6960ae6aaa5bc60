// What watc does, as one library call: text or binary in; parse and validate (WABT),
// optionally optimize (Binaryen, whose output WABT validates again), strip debug sections,
// and produce a binary or its text form; with the size after each step.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/wasm/optimizer.h"
#include "wascc/base/result.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::module_build {

struct Options {
  wasm_features::FeatureSet features;
  std::optional<optimizer::Level> optimize;
  bool strip_debug = false;
  // Keep (or, for text input, write) the name section through the optimizer, as wasm-opt -g
  // does. Without it the optimizer writes no names: Binaryen would invent them for every
  // unnamed function, making -Oz output larger than its input.
  bool debug_names = false;
  bool print_text = false;  // output WAT instead of a binary
};

struct Step {
  std::string name;  // "input (text)", "compiled", "optimized -O2", "stripped", "printed"
  size_t size = 0;
};

struct Output {
  Bytes bytes;  // the binary, or the WAT text with print_text
  std::vector<Step> steps;
};

// Errors of kind Invalid carry the formatted diagnostics (every error of the run).
Result<Output> build(ByteView input, const std::string& filename, const Options& options);

}  // namespace wascc::module_build
