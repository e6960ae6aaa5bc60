// Private to lib/: turning a module into a cached native artifact, and finding it again.
#pragma once

#include <string>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::aot_compiler {

// Creates the cache directory (0700) when missing, and refuses one that another user owns or
// others may write: its artifacts are loaded as code. find_cached also refuses such files.
Status check_cache_directory(const aot_engine::Toolchain& toolchain);

// The cache key's inputs: the module bytes, the features, the shim ABI, the compiler (path,
// size, mtime) and its flags.
std::string cache_key(ByteView wasm, const wasm_features::FeatureSet& features, const aot_engine::Toolchain& toolchain);

// The artifact path when the cache holds an intact one (its SHA-256 matches the sidecar
// written with it); a corrupt or foreign file is never returned.
std::optional<std::string> find_cached(const std::string& key, const aot_engine::Toolchain& toolchain);

// Translates, compiles, and stores atomically (safe against concurrent builds of the same key).
Result<aot_engine::CacheInfo> build(ByteView wasm, const std::string& filename,
                                    const wasm_features::FeatureSet& features, const std::string& key,
                                    const aot_engine::Toolchain& toolchain);

}  // namespace wascc::aot_compiler
