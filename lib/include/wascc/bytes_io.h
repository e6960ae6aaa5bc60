// Reading and writing whole files, where "-" means stdin/stdout, and outputs are written
// atomically so that a failure never truncates or half-writes a file (not even the input,
// when the output path names the same file).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/result.h"

namespace wascc {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}
inline std::string_view as_text(ByteView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// Reads a whole file, or stdin for "-".
Result<Bytes> read_file_or_stdin(const std::string& path);

// Writes `content` to `path` through a temporary file in the same directory and a rename,
// so readers see the old file or the new one, never a partial one. "-" writes to stdout.
// `mode` is applied to the new file (e.g. 0600 for secrets).
Status write_file_atomically(const std::string& path, ByteView content, unsigned mode = 0644);

// Creates `dir` and its parents with `mode` for the directories created.
Status create_directories(const std::string& dir, unsigned mode);

}  // namespace wascc
