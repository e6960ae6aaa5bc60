// The native engine: the module (instrumented for limits, see metering.h) is translated to
// C by WABT's C writer in-process, compiled by the system C compiler into a shared object,
// and loaded with dlopen. Artifacts are cached by content; see aot_cache in README.
#pragma once

#include <atomic>
#include <memory>

#include <functional>
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

// Where artifacts are kept and what compiles them. The library reads no environment: tools fill
// this from $XDG_CACHE_HOME and $WASCC_CC (tools/common/environment.h); empty fields mean the
// defaults below.
struct Toolchain {
  std::string cache_directory;  // default: ~/.cache/wascc/aot, home from the password database
  std::string compiler;         // default: the first cc on the system's default path (confstr)
  // Hears a compile start (milliseconds < 0) and end, so a tool on a terminal can show that a big
  // module is being compiled rather than sit silent. Not called for artifacts found in the cache.
  std::function<void(const std::string& filename, double milliseconds)> on_compile;
  // Hears a compile in parts progress: functions compiled so far, of all, a part at a time.
  std::function<void(const std::string& filename, size_t functions_done, size_t functions_total)> on_progress;
  // Bytes of generated C per translation unit: a bigger module is split and its parts compiled
  // side by side, one per core (at most 16 parts). 0: 1.5 MB. Not part of the cache key: a
  // split artifact behaves as a whole one.
  size_t split_bytes = 0;
  // When set and true, a compile in progress kills its compilers and fails ("cancelled"):
  // a host that stops does not wait for a background compile.
  std::shared_ptr<const std::atomic<bool>> cancelled;
};

// What an empty field means, for the whole process: set once by the program that embeds the
// library (each tool sets it from the environment at its start; tests from theirs). Without
// it, the defaults above.
void set_default_toolchain(const Toolchain& toolchain);

// The directory in use (created 0700 on first build) and the compiler in use.
std::string cache_directory(const Toolchain& toolchain = {});
std::string compiler(const Toolchain& toolchain = {});
size_t split_bytes(const Toolchain& toolchain = {});  // 0: the built-in default

// The first executable `cc` in `directories` (colon-separated, as $PATH), or "" when none is.
std::string find_cc(const std::string& directories);

// Builds (or finds) the artifact of `wasm` without loading it: `wapc compile`.
Result<CacheInfo> precompile(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features = {},
                             const Toolchain& toolchain = {});

// Artifacts found in the cache and built, in this process (for metrics).
struct CacheCounts {
  uint64_t hits = 0, compiles = 0;
};
CacheCounts cache_counts();

// Whether an artifact for `wasm` is already in the cache (and intact).
bool is_cached(ByteView wasm, const wasm_features::FeatureSet& features = {}, const Toolchain& toolchain = {});

std::unique_ptr<engine::Engine> create(const wasm_features::FeatureSet& features = {}, const Toolchain& toolchain = {});

}  // namespace wascc::aot_engine
