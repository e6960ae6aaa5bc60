// Private to lib/: conversions between the project's types and WABT's.
#pragma once

#include <wabt/feature.h>

#include "wascc/wasm/wasm_features.h"

namespace wascc::wabt_bridge {

inline wabt::Features to_wabt(const wasm_features::FeatureSet& set) {
  wabt::Features features;
#define WABT_FEATURE(variable, flag, default_, help) features.set_##variable##_enabled(set.enabled(flag));
#include <wabt/feature.def>
#undef WABT_FEATURE
  return features;
}

}  // namespace wascc::wabt_bridge
