// Reading and writing whole files, where "-" means stdin/stdout, and outputs are written
// atomically so that a failure never truncates or half-writes a file (not even the input,
// when the output path names the same file).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/result.h"

namespace wascc {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

inline ByteView as_bytes(std::string_view text) { return {reinterpret_cast<const uint8_t*>(text.data()), text.size()}; }
inline std::string_view as_text(ByteView bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

// What a read accepts. Every input from outside has a size cap (a pipe or /dev/zero would
// otherwise be read until memory runs out). With `magic`, a stream whose first bytes differ
// is not read further: the bytes read so far are returned, for the caller's parser to reject
// with its usual message (`wascap inspect /dev/zero` fails at once).
struct ReadLimits {
  static constexpr uint64_t kDefaultMaxBytes = 1ULL << 30;  // 1 GiB: far above any real module
  uint64_t max_bytes = kDefaultMaxBytes;
  std::string_view magic = {};
};
inline constexpr std::string_view kWasmMagic{"\0asm", 4};

// Reads a whole file, or stdin for "-".
Result<Bytes> read_file_or_stdin(const std::string& path, const ReadLimits& limits = {});

// A whole input, mapped read-only when it is a regular file (no copy: modules can be large
// and signing is hash-bound), read into memory otherwise (stdin, pipes). Move-only.
class InputFile {
 public:
  static Result<InputFile> open(const std::string& path, const ReadLimits& limits = {});
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
// What is not a regular file is written in place, never replaced: a device (`-o /dev/null`,
// even as root), a pipe, a socket. A symbolic link is followed: its target is replaced and
// the link stays. A new file gets `mode` less the process's umask (0600 for secrets keeps
// others out whatever the umask); an existing file keeps its mode.
Status write_file_atomically(const std::string& path, ByteView content, unsigned mode = 0666);
// The same for content given as consecutive pieces (written in order, never joined).
Status write_file_atomically(const std::string& path, const std::vector<ByteView>& pieces, unsigned mode = 0666);

// Creates `dir` and its parents with `mode` for the directories created.
Status create_directories(const std::string& dir, unsigned mode);

}  // namespace wascc
