// The engine backend on WABT's interpreter (libwabt's wabt::interp): slow, but portable
// and with no compile step; every guest runs in its own Store.
#pragma once

#include <memory>

#include "wascc/engine/engine.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::interp_engine {

std::unique_ptr<engine::Engine> create(const wasm_features::FeatureSet& features = {});

}  // namespace wascc::interp_engine
