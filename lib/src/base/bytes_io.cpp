#include "wascc/base/bytes_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

namespace wascc {
namespace {

std::string describe_errno(const std::string& what, const std::string& path) {
  return path + ": " + what + ": " + std::strerror(errno);
}

Error too_large(const std::string& name, const ReadLimits& limits) {
  return io_error(name + ": larger than the limit of " + std::to_string(limits.max_bytes) + " bytes");
}

bool magic_differs(const Bytes& data, const ReadLimits& limits) {
  const size_t compared = std::min(data.size(), limits.magic.size());
  return std::memcmp(data.data(), limits.magic.data(), compared) != 0;
}

Result<Bytes> read_all(int fd, const std::string& name, const ReadLimits& limits) {
  Bytes data;
  struct stat info {};
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    if (static_cast<uint64_t>(info.st_size) > limits.max_bytes) return too_large(name, limits);
    data.reserve(static_cast<size_t>(info.st_size));
  } else if (fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    return io_error(name + ": is a directory");
  }
  uint8_t chunk[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, chunk, sizeof chunk);
    if (got < 0) {
      if (errno == EINTR) continue;
      return io_error(describe_errno("cannot read", name));
    }
    if (got == 0) break;
    if (data.size() + static_cast<size_t>(got) > limits.max_bytes) return too_large(name, limits);
    data.insert(data.end(), chunk, chunk + got);
    if (!limits.magic.empty() && magic_differs(data, limits)) break;
  }
  return data;
}

Status write_all(int fd, ByteView content, const std::string& name) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t put = ::write(fd, content.data() + done, content.size() - done);
    if (put < 0) {
      if (errno == EINTR) continue;
      return io_error(describe_errno("cannot write", name));
    }
    done += static_cast<size_t>(put);
  }
  return ok_status();
}

Status write_pieces(int fd, const std::vector<ByteView>& pieces, const std::string& name) {
  for (const auto& piece : pieces) {
    if (auto written = write_all(fd, piece, name); !written) return written;
  }
  return ok_status();
}

// Devices, pipes and sockets: renaming a temporary file over them would replace the device
// node (as root) or detach the reader, so they are opened and written as they are.
Status write_in_place(const std::string& resolved, const std::vector<ByteView>& pieces, const std::string& name) {
  int fd = ::open(resolved.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return io_error(describe_errno("cannot open", name));
  auto written = write_pieces(fd, pieces, name);
  if (::close(fd) != 0 && written) return io_error(describe_errno("cannot write", name));
  return written;
}

// The umask without changing it (umask() can only be read by setting it, which races with
// other threads creating files): Linux reports it in /proc/self/status since 4.7.
unsigned process_umask() {
  if (FILE* status = std::fopen("/proc/self/status", "re")) {
    char line[256];
    unsigned mask = 0;
    bool found = false;
    while (!found && std::fgets(line, sizeof line, status)) found = std::sscanf(line, "Umask: %o", &mask) == 1;
    std::fclose(status);
    if (found) return mask;
  }
  return 022;
}

}  // namespace

Result<Bytes> read_file_or_stdin(const std::string& path, const ReadLimits& limits) {
  if (path == "-") return read_all(STDIN_FILENO, "<stdin>", limits);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(describe_errno("cannot open", path));
  auto result = read_all(fd, path, limits);
  ::close(fd);
  return result;
}

Result<InputFile> InputFile::open(const std::string& path, const ReadLimits& limits) {
  InputFile file;
  if (path != "-") {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(describe_errno("cannot open", path));
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) > limits.max_bytes) {
      ::close(fd);
      return too_large(path, limits);
    }
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
      void* mapping = ::mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (mapping != MAP_FAILED) {
        ::close(fd);
        file.mapping_ = mapping;
        file.mapped_size_ = static_cast<size_t>(info.st_size);
        return file;
      }
    }
    auto content = read_all(fd, path, limits);
    ::close(fd);
    if (!content) return content.error();
    file.owned_ = std::move(content.value());
    return file;
  }
  auto content = read_all(STDIN_FILENO, "<stdin>", limits);
  if (!content) return content.error();
  file.owned_ = std::move(content.value());
  return file;
}

InputFile::InputFile(InputFile&& other) noexcept { *this = std::move(other); }

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this == &other) return *this;
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_size_);
  mapping_ = std::exchange(other.mapping_, nullptr);
  mapped_size_ = std::exchange(other.mapped_size_, 0);
  owned_ = std::move(other.owned_);
  return *this;
}

InputFile::~InputFile() {
  if (mapping_ != nullptr) ::munmap(mapping_, mapped_size_);
}

ByteView InputFile::bytes() const {
  if (mapping_ != nullptr) return {static_cast<const uint8_t*>(mapping_), mapped_size_};
  return owned_;
}

Status write_file_atomically(const std::string& path, ByteView content, unsigned mode) {
  return write_file_atomically(path, std::vector<ByteView>{content}, mode);
}

Status write_file_atomically(const std::string& path, const std::vector<ByteView>& pieces, unsigned mode) {
  if (path == "-") return write_pieces(STDOUT_FILENO, pieces, "<stdout>");

  struct stat link_info {};
  std::string resolved = path;
  if (::lstat(path.c_str(), &link_info) == 0 && S_ISLNK(link_info.st_mode)) {
    std::error_code error;
    auto target = std::filesystem::canonical(path, error);
    if (error) return io_error(path + ": cannot follow the symbolic link: " + error.message());
    resolved = target.string();
  }
  struct stat info {};
  const bool exists = ::stat(resolved.c_str(), &info) == 0;
  if (exists && S_ISDIR(info.st_mode)) return io_error(path + ": is a directory");
  if (exists && !S_ISREG(info.st_mode)) return write_in_place(resolved, pieces, path);
  const unsigned file_mode = exists ? (info.st_mode & 07777) : (mode & ~process_umask());

  std::filesystem::path target(resolved);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string pattern = dir + "/." + target.filename().string() + ".tmpXXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) return io_error(describe_errno("cannot create a temporary file beside it", path));
  auto cleanup = [&] {
    ::close(fd);
    ::unlink(pattern.c_str());
  };
  if (::fchmod(fd, file_mode) != 0) {
    Error error = io_error(describe_errno("cannot set file mode", path));
    cleanup();
    return error;
  }
  if (auto written = write_pieces(fd, pieces, path); !written) {
    cleanup();
    return written.error();
  }
  // No fsync: the rename already guarantees that readers never see a partial file when this
  // process fails; durability across power loss is the file system's business, and an fsync
  // would double the time of signing a large module. close() can still report a failed
  // delayed write (NFS, a full disk), so its result counts.
  if (::close(fd) != 0) {
    Error error = io_error(describe_errno("cannot write", path));
    ::unlink(pattern.c_str());
    return error;
  }
  if (::rename(pattern.c_str(), resolved.c_str()) != 0) {
    Error error = io_error(describe_errno("cannot replace", path));
    ::unlink(pattern.c_str());
    return error;
  }
  return ok_status();
}

Status create_directories(const std::string& dir, unsigned mode) {
  std::filesystem::path path(dir);
  std::filesystem::path built;
  for (const auto& part : path) {
    built /= part;
    if (built.empty() || std::filesystem::is_directory(built)) continue;
    if (::mkdir(built.c_str(), mode) != 0 && errno != EEXIST) {
      return io_error(describe_errno("cannot create directory", built.string()));
    }
  }
  return ok_status();
}

}  // namespace wascc
