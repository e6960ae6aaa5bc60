// Outputs are replaced atomically, but never a device, a pipe or a symbolic link; inputs are
// read with a cap, and stop early when a stream is not what the caller expects.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "file_fixtures.h"
#include "wascc/base/bytes_io.h"

using namespace wascc;
using test::mode_of;
namespace fs = std::filesystem;

namespace {

struct ScratchDir {
  ScratchDir() : path(fs::temp_directory_path() / ("wascc-bytes-io-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
  fs::path path;
};

}  // namespace

TEST_CASE("write_file_atomically to /dev/null writes in place: the device node is never replaced") {
  struct stat before {};
  REQUIRE(::stat("/dev/null", &before) == 0);
  REQUIRE(write_file_atomically("/dev/null", as_bytes("discarded")).ok());
  struct stat after {};
  REQUIRE(::stat("/dev/null", &after) == 0);
  CHECK(S_ISCHR(after.st_mode));
  CHECK(after.st_ino == before.st_ino);
}

TEST_CASE("write_file_atomically through a symbolic link replaces the target and keeps the link") {
  ScratchDir scratch;
  REQUIRE(write_file_atomically(scratch.file("target"), as_bytes("old")).ok());
  fs::create_symlink(scratch.file("target"), scratch.file("link"));
  REQUIRE(write_file_atomically(scratch.file("link"), as_bytes("new")).ok());
  CHECK(fs::is_symlink(scratch.file("link")));
  CHECK(as_text(*read_file_or_stdin(scratch.file("target"))) == "new");
  fs::create_symlink(scratch.file("missing"), scratch.file("dangling"));
  auto dangling = write_file_atomically(scratch.file("dangling"), as_bytes("x"));
  REQUIRE_FALSE(dangling.ok());
  CHECK(dangling.error().message.starts_with(scratch.file("dangling") + ": cannot follow the symbolic link: "));
}

TEST_CASE("write_file_atomically honours the umask for new files and keeps an existing file's mode") {
  ScratchDir scratch;
  const mode_t old_mask = ::umask(077);
  auto written = write_file_atomically(scratch.file("private"), as_bytes("x"));
  ::umask(old_mask);
  REQUIRE(written.ok());
  CHECK(mode_of(scratch.file("private")) == 0600);
  REQUIRE(::chmod(scratch.file("private").c_str(), 0640) == 0);
  REQUIRE(write_file_atomically(scratch.file("private"), as_bytes("y")).ok());
  CHECK(mode_of(scratch.file("private")) == 0640);
  REQUIRE(write_file_atomically(scratch.file("secret"), as_bytes("s"), 0600).ok());
  CHECK(mode_of(scratch.file("secret")) == 0600);
}

TEST_CASE("reading /dev/zero as a module stops at the first bytes; reads over the cap are refused") {
  const auto started = std::chrono::steady_clock::now();
  auto zeros = InputFile::open("/dev/zero", {.magic = kWasmMagic});
  REQUIRE(zeros.ok());
  CHECK(zeros->bytes().size() <= 65536);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  auto capped = read_file_or_stdin("/dev/zero", {.max_bytes = 100'000});
  REQUIRE_FALSE(capped.ok());
  CHECK(capped.error().message == "/dev/zero: larger than the limit of 100000 bytes");
}
