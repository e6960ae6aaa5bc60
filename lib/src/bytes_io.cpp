#include "wascc/bytes_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace wascc {
namespace {

std::string describe_errno(const std::string& what, const std::string& path) {
  return path + ": " + what + ": " + std::strerror(errno);
}

Result<Bytes> read_all(int fd, const std::string& name) {
  Bytes data;
  struct stat info {};
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
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
    data.insert(data.end(), chunk, chunk + got);
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

}  // namespace

Result<Bytes> read_file_or_stdin(const std::string& path) {
  if (path == "-") return read_all(STDIN_FILENO, "<stdin>");
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(describe_errno("cannot open", path));
  auto result = read_all(fd, path);
  ::close(fd);
  return result;
}

Result<InputFile> InputFile::open(const std::string& path) {
  InputFile file;
  if (path != "-") {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(describe_errno("cannot open", path));
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
      void* mapping = ::mmap(nullptr, static_cast<size_t>(info.st_size), PROT_READ,
                             MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (mapping != MAP_FAILED) {
        ::close(fd);
        file.mapping_ = mapping;
        file.mapped_size_ = static_cast<size_t>(info.st_size);
        return file;
      }
    }
    auto content = read_all(fd, path);
    ::close(fd);
    if (!content) return content.error();
    file.owned_ = std::move(content.value());
    return file;
  }
  auto content = read_all(STDIN_FILENO, "<stdin>");
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

Status write_file_atomically(const std::string& path, const std::vector<ByteView>& pieces,
                             unsigned mode) {
  if (path == "-") {
    for (const auto& piece : pieces) {
      if (auto written = write_all(STDOUT_FILENO, piece, "<stdout>"); !written) return written;
    }
    return ok_status();
  }

  std::filesystem::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string pattern = dir + "/." + target.filename().string() + ".tmpXXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) return io_error(describe_errno("cannot create a temporary file beside it", path));
  auto cleanup = [&] {
    ::close(fd);
    ::unlink(pattern.c_str());
  };
  if (::fchmod(fd, mode) != 0) {
    Error error = io_error(describe_errno("cannot set file mode", path));
    cleanup();
    return error;
  }
  for (const auto& piece : pieces) {
    if (auto written = write_all(fd, piece, path); !written) {
      cleanup();
      return written.error();
    }
  }
  // No fsync: the rename already guarantees that readers never see a partial file when this
  // process fails; durability across power loss is the file system's business, and an fsync
  // would double the time of signing a large module.
  ::close(fd);
  if (::rename(pattern.c_str(), path.c_str()) != 0) {
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
