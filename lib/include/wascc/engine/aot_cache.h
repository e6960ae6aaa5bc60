// The AOT cache as its users see it (`wapc cache list|clean`): one entry per artifact (KEY.so
// and its KEY.sum), and a size cap enforced after every compile, least recently used first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wascc/base/result.h"

namespace wascc::aot_cache {

// After a compile the cache is trimmed to this, so that a host compiling many modules over
// months does not fill the disk.
inline constexpr uint64_t kDefaultMaxBytes = 2ULL << 30;  // 2 GiB

struct Entry {
  std::string key;        // the content key (hex)
  std::string path;       // KEY.so
  uint64_t bytes = 0;     // KEY.so and KEY.sum together
  int64_t last_used = 0;  // UNIX time of the last load (access time) or write
};

// Every artifact in `directory` (aot_engine::cache_directory() by default), most recent first.
// A missing directory is an empty cache.
Result<std::vector<Entry>> list(const std::string& directory);

struct Cleaned {
  size_t removed = 0;
  uint64_t bytes_freed = 0;
  uint64_t bytes_left = 0;
};

// Removes the least recently used artifacts until the cache holds at most `max_bytes` (0:
// removes them all, and build directories that interrupted compiles left over an hour ago),
// never the artifact `keep` (the one just built). Loaded artifacts stay mapped in the processes
// that use them.
Result<Cleaned> trim(const std::string& directory, uint64_t max_bytes, const std::string& keep = {});

}  // namespace wascc::aot_cache
