#include "common/environment.h"

#include <unistd.h>

#include <cstdlib>

#include "wascc/base/unix_time.h"

namespace wascc::tools::environment {
namespace {

std::string variable(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string home() {
  std::string dir = variable("HOME");
  return dir.empty() ? "." : dir;
}

}  // namespace

Result<uint64_t> pinned_now() {
  const std::string pinned = variable("WASCC_NOW");
  if (pinned.empty()) return uint64_t{0};
  uint64_t value = 0;
  for (char c : pinned) {
    if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10) {
      return input_error("WASCC_NOW must be seconds since the Unix epoch, got \"" + pinned + "\"");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

Result<uint64_t> now() {
  auto pinned = pinned_now();
  if (!pinned) return pinned.error();
  return *pinned != 0 ? *pinned : unix_time::now();
}

aot_engine::Toolchain aot_toolchain() {
  aot_engine::Toolchain toolchain;
  if (const std::string cache = variable("XDG_CACHE_HOME"); !cache.empty()) {
    toolchain.cache_directory = cache + "/wascc/aot";
  } else if (const std::string dir = variable("HOME"); !dir.empty()) {
    toolchain.cache_directory = dir + "/.cache/wascc/aot";
  }
  toolchain.compiler = variable("WASCC_CC");
  if (toolchain.compiler.empty()) toolchain.compiler = aot_engine::find_cc(variable("PATH"));
  // A number of bytes of C per part of a parallel compile (bench/compile_bench.py compares).
  if (const std::string split = variable("WASCC_AOT_SPLIT_BYTES"); !split.empty()) {
    toolchain.split_bytes = static_cast<size_t>(std::strtoull(split.c_str(), nullptr, 10));
  }
  if (::isatty(STDERR_FILENO)) {
    // A big module takes seconds to compile: say so on a terminal, never on a pipe or a log.
    // One line, rewritten in place: the start, the functions compiled so far, the end.
    auto say = [](const std::string& text, bool last = false) {
      const std::string line = "\r" + text + "\x1b[K" + (last ? "\n" : "");
      ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
      (void)ignored;
    };
    toolchain.on_compile = [say](const std::string& filename, double milliseconds) {
      if (milliseconds < 0) return say("compiling " + filename + " to native code...");
      say("compiled " + filename + " in " + std::to_string(static_cast<long>(milliseconds)) + " ms", true);
    };
    toolchain.on_progress = [say](const std::string& filename, size_t done, size_t total) {
      say("compiling " + filename + ": " + std::to_string(done) + "/" + std::to_string(total) + " functions");
    };
  }
  return toolchain;  // empty fields: the library's defaults
}

std::string key_directory() {
  const std::string keys = variable("WASH_KEYS");
  return keys.empty() ? home() + "/.wash/keys" : keys;
}

std::string user_name() {
  const std::string user = variable("USER");
  return user.empty() ? "user" : user;
}

manifest::Environment manifest_variables() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace wascc::tools::environment
