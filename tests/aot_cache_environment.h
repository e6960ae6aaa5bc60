// For the project's own test and bench programs (not tools, which use
// tools/common/environment.h): the library reads no environment, so a program that wants
// ctest's $XDG_CACHE_HOME for its AOT artifacts sets it as the process default itself.
#pragma once

#include <cstdlib>
#include <string>

#include "wascc/engine/aot_engine.h"

namespace wascc::test {

inline void use_xdg_cache_home() {
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && *cache != '\0') {
    aot_engine::Toolchain toolchain;
    toolchain.cache_directory = std::string(cache) + "/wascc/aot";
    aot_engine::set_default_toolchain(toolchain);
  }
}

}  // namespace wascc::test
