// The native engine: the module (instrumented for limits, see metering.h) is translated to
// C by WABT's C writer in-process, compiled by the system C compiler into a shared object,
// and loaded with dlopen. Artifacts are cached by content; see aot_cache in README.
#pragma once

#include <memory>
#include <string>

#include "wascc/engine/engine.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::aot_engine {

struct CacheInfo {
  std::string artifact_path;
  bool from_cache = false;
  double compile_milliseconds = 0;
};

// $XDG_CACHE_HOME/wascc/aot (or ~/.cache/wascc/aot), created 0700.
std::string cache_directory();

// Builds (or finds) the artifact of `wasm` without loading it: `wapc compile`.
Result<CacheInfo> precompile(ByteView wasm, const std::string& filename,
                             const wasm_features::FeatureSet& features = {});

// Artifacts found in the cache and built, in this process (for metrics).
struct CacheCounts {
  uint64_t hits = 0, compiles = 0;
};
CacheCounts cache_counts();

// Whether an artifact for `wasm` is already in the cache (and intact).
bool is_cached(ByteView wasm, const wasm_features::FeatureSet& features = {});

std::unique_ptr<engine::Engine> create(const wasm_features::FeatureSet& features = {});

}  // namespace wascc::aot_engine
