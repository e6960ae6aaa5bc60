// Binaryen's optimizer, through its C API (libbinaryen), on a validated binary.
#pragma once

#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::optimizer {

struct Level {
  int optimize = 2;  // 0..4
  int shrink = 1;    // 0..2
  std::string name = "-O";
};

// The value of a -O flag as wasm-opt spells them: "" (-O, same as -Os), "0".."4", "s", "z".
Result<Level> parse_level(std::string_view flag_value);

// Optimizes `wasm`, which must already be valid (Binaryen exits the process on input it cannot
// read, so callers validate with WABT first). Debug names are kept only when `keep_debug_info`.
Result<Bytes> optimize(ByteView wasm, const Level& level, const wasm_features::FeatureSet& features,
                       bool keep_debug_info);

}  // namespace wascc::optimizer
