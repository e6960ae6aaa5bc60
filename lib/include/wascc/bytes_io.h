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

// A whole input, mapped read-only when it is a regular file (no copy: modules can be large
// and signing is hash-bound), read into memory otherwise (stdin, pipes). Move-only.
class InputFile {
 public:
  static Result<InputFile> open(const std::string& path);
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  ByteView bytes() const;

 private:
  InputFile() = default;
  void* mapping_ = nullptr;
  size_t mapped_size_ = 0;
  Bytes owned_;
};

// Writes `content` to `path` through a temporary file in the same directory and a rename,
// so readers see the old file or the new one, never a partial one. "-" writes to stdout.
// `mode` is applied to the new file (e.g. 0600 for secrets).
Status write_file_atomically(const std::string& path, ByteView content, unsigned mode = 0644);
// The same for content given as consecutive pieces (written in order, never joined).
Status write_file_atomically(const std::string& path, const std::vector<ByteView>& pieces,
                             unsigned mode = 0644);

// Creates `dir` and its parents with `mode` for the directories created.
Status create_directories(const std::string& dir, unsigned mode);

}  // namespace wascc
