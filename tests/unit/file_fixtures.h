// File helpers shared by the tests of what the library writes (modes, scratch directories).
#pragma once

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <string>

namespace wascc::test {

// The permission bits of `path` (07777), failing the test when it cannot be read.
inline unsigned mode_of(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace wascc::test
