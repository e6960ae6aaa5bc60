// What the tools read from the environment, in one place: the library reads none and takes
// these values in its options (clock, AOT toolchain, key directory, manifest variables).
#pragma once

#include <cstdint>
#include <string>

#include "wascc/base/result.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/runner/manifest.h"

namespace wascc::tools::environment {

// $WASCC_NOW (seconds since the epoch) when set, for reproducible tokens and reports; else the
// clock. A value that is not a number is an input error.
Result<uint64_t> now();
// The same, but 0 (the library's "ask the clock") when $WASCC_NOW is not set: for options that
// a long-running host reads again at every load.
Result<uint64_t> pinned_now();

// $XDG_CACHE_HOME/wascc/aot (else ~/.cache/wascc/aot), $WASCC_CC (else the first cc on $PATH)
// and $WASCC_AOT_SPLIT_BYTES (C per part of a parallel compile, see aot_engine::Toolchain);
// on a terminal, a line when a module starts and ends compiling to native code.
aot_engine::Toolchain aot_toolchain();

// wash's key directory: $WASH_KEYS, else ~/.wash/keys; and $USER, which names the account key.
std::string key_directory();
std::string user_name();

// ${VAR} in manifests and scenarios: the process environment.
manifest::Environment manifest_variables();

}  // namespace wascc::tools::environment
