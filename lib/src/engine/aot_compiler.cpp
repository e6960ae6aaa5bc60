#include "aot_compiler.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wabt/apply-names.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/c-writer.h>
#include <wabt/generate-names.h>
#include <wabt/ir.h>
#include <wabt/stream.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "aot_c_rewrite.h"
#include "aot_shim.h"
#include "wasm/wabt_bridge.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/base/encoding.h"
#include "wascc/engine/metering.h"
#include "wascc/base/sha256.h"
#include "wascc/wasm/wat.h"

extern char** environ;

namespace wascc::aot_embedded {
extern const char kRuntimeHeader[];
}

namespace wascc::aot_compiler {
namespace {

// -fno-optimize-sibling-calls: otherwise unbounded guest recursion becomes a jump loop and
// stack exhaustion a hang (pitfalls note, item 6); the float flags are what upstream's own
// spec runner uses for conformance.
const std::vector<std::string> kFlags = {
    "-O2", "-fPIC", "-shared", "-fno-optimize-sibling-calls", "-frounding-math", "-fsignaling-nans", "-w"};

// The compiler's resolved path, size and mtime: a new compiler makes new artifacts.
std::string compiler_identity(const std::string& path) {
  struct stat info {};
  std::string resolved = path;
  std::error_code ignored;
  auto canonical = std::filesystem::canonical(path, ignored);
  if (!ignored) resolved = canonical.string();
  if (::stat(resolved.c_str(), &info) != 0) return resolved;
  return resolved + ":" + std::to_string(info.st_size) + ":" + std::to_string(info.st_mtime);
}

std::string features_text(const wasm_features::FeatureSet& features) {
  std::string text = features.enable_all ? "all;" : "";
  for (const auto& [name, enabled] : features.overrides) text += name + (enabled ? "+;" : "-;");
  return text;
}

Result<std::string> sum_of_file(const std::string& path) {
  auto bytes = read_file_or_stdin(path);
  if (!bytes) return bytes.error();
  return sha256::hash_hex_upper(*bytes);
}

// One compiler process, its output to `log_path`.
Result<pid_t> spawn_compiler(const std::vector<std::string>& arguments, const std::string& log_path) {
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t child = 0;
  int spawned = posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return io_error("cannot run the C compiler " + arguments[0] + ": " + std::strerror(spawned));
  return child;
}

Status compiler_outcome(int status, const std::string& log_path) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return ok_status();
  auto log = read_file_or_stdin(log_path);
  std::string text = log ? std::string(as_text(*log)).substr(0, 2000) : "";
  return invalid_error("the C compiler failed on the translated module:\n" + text);
}

int wait_for(pid_t child) {
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Several compilers, at most `jobs` at once, in the order given (the longest first); the
// first failure is the answer, once every started one has ended.
Status run_compilers(const std::vector<std::vector<std::string>>& commands, const std::vector<std::string>& logs,
                     size_t jobs, const std::atomic<bool>* cancelled,
                     const std::function<void(size_t index)>& finished = {}) {
  std::vector<std::pair<pid_t, size_t>> running;
  Status first_failure = ok_status();
  size_t next = 0;
  while (next < commands.size() || !running.empty()) {
    while (next < commands.size() && running.size() < jobs && first_failure.ok()) {
      auto child = spawn_compiler(commands[next], logs[next]);
      if (!child) {
        first_failure = child.error();
        break;
      }
      running.emplace_back(*child, next++);
    }
    if (running.empty()) break;
    if (cancelled != nullptr && cancelled->load()) {
      for (const auto& [child, index] : running) {
        ::kill(child, SIGKILL);
        (void)wait_for(child);
      }
      return invalid_error("the compile was cancelled");
    }
    // Each child by its own pid: a library must not reap children others wait for.
    bool any_ended = false;
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      const pid_t ended = ::waitpid(it->first, &status, WNOHANG);
      if (ended == 0 || (ended < 0 && errno == EINTR)) {
        ++it;
        continue;
      }
      any_ended = true;
      if (auto outcome =
              ended < 0 ? io_error("lost the C compiler's process") : compiler_outcome(status, logs[it->second]);
          !outcome && first_failure.ok()) {
        first_failure = outcome;
      } else if (outcome && finished) {
        finished(it->second);
      }
      it = running.erase(it);
    }
    if (!any_ended) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return first_failure;
}

// Code in the cache is loaded into this process: whoever can write the directory or the file
// runs code as the caller. Only a directory and files owned by this user and writable by no
// one else are trusted.
Status check_owned_and_private(const std::string& path, const char* what) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0)
    return io_error(path + ": cannot inspect the " + what + ": " + std::strerror(errno));
  if (S_ISLNK(info.st_mode)) return invalid_error(path + ": the " + what + " is a symbolic link: refused");
  if (info.st_uid != ::geteuid()) {
    return invalid_error(path + ": the " + what + " is owned by user " + std::to_string(info.st_uid) +
                         ", not by this user: refused (AOT artifacts are loaded as code)");
  }
  if (info.st_mode & (S_IWGRP | S_IWOTH)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return invalid_error(path + ": the " + what + " is writable by others (mode " + mode +
                         "): refused (AOT artifacts are loaded as code; chmod go-w it)");
  }
  return ok_status();
}

// The module instrumented for limits (metering.h), refused before translation when it uses
// SIMD (WABT 1.0.32's C writer cannot translate it) and checked again after the rewrite.
Result<Bytes> instrument_for_c(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features) {
  wasm_features::FeatureSet without_simd = features;
  without_simd.overrides["simd"] = false;
  if (!wat::validate_binary(wasm, filename, without_simd)) {
    if (auto valid = wat::validate_binary(wasm, filename, features); !valid) return valid.error();
    return input_error(filename + ": uses SIMD, which WABT 1.0.32's C writer cannot translate: use --engine interp");
  }
  auto instrumented = metering::instrument(wasm, filename, features);
  if (!instrumented) return instrumented.error();
  // WABT's C writer trusts its input: the rewriter's output is checked before translation.
  if (auto valid = wat::validate_binary(*instrumented, filename + " (instrumented)", features); !valid) {
    return invalid_error("internal error: the instrumented module does not validate:\n" + valid.error().message);
  }
  return instrumented;
}

struct CSources {
  std::vector<uint8_t> module_c, module_h;
  std::string shim_c;
  std::vector<std::string> module_parts;  // module_c split for a parallel compile; empty: whole
};

// One translation unit per 1.5 MB of C (Toolchain::split_bytes), at most 16: below 3 MB a
// split saves less than the second process costs. Each part is smaller, so each compiler's
// memory is too (sql.js: 52 s and 627 MB whole, 23 s and 254 MB in 7 parts on 2 cores).
constexpr size_t kMaxParts = 16;
size_t part_count(size_t c_bytes, size_t split_bytes) {
  return std::min(kMaxParts, c_bytes / (split_bytes > 0 ? split_bytes : 1'500'000));
}

size_t compile_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

// The module as C by WABT's C writer (its symbols prefixed with `prefix`), and the shim that
// binds it to the engine.
Result<CSources> translate_to_c(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features,
                                const std::string& prefix, size_t split_bytes) {
  wabt::Errors errors;
  wabt::Module module;
  wabt::ReadBinaryOptions options(wabt_bridge::to_wabt(features), nullptr, false, /*stop_on_first_error=*/true, false);
  if (wabt::Failed(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), options, &errors, &module)) ||
      wabt::Failed(wabt::GenerateNames(&module))) {
    return invalid_error(filename + ": error: cannot prepare the module for translation to C");
  }
  // Names make the C readable; WABT 1.0.32's ApplyNames refuses some valid modules (a
  // data.drop of the 65th memoryless data segment in the spec suite's bulk.wast), and the C
  // writer resolves index references itself, so a refusal is not fatal.
  (void)wabt::ApplyNames(&module);
  // The engine interface links functions only (as the interpreter's does).
  for (const wabt::Import* import : module.imports) {
    if (import->kind() != wabt::ExternalKind::Func) {
      return input_error("unsupported import " + import->module_name + "." + import->field_name +
                         ": only functions can be imported");
    }
  }
  wabt::MemoryStream c_stream, h_stream;
  wabt::WriteCOptions write_options;
  write_options.module_name = prefix;
  if (wabt::Failed(wabt::WriteC(&c_stream, &h_stream, "module.h", &module, write_options))) {
    return invalid_error(filename + ": error: WABT's C writer failed");
  }
  const auto& written = c_stream.output_buffer().data;
  const std::string rewritten = aot_c_rewrite::hoist_memory_base(std::string(written.begin(), written.end()));
  CSources sources{std::vector<uint8_t>(rewritten.begin(), rewritten.end()),
                   h_stream.output_buffer().data,
                   {},
                   aot_c_rewrite::split_functions(rewritten, part_count(rewritten.size(), split_bytes))};
  aot_shim::ModuleNames names;
  for (const wabt::Import* import : module.imports) {
    std::pair<std::string, std::string> entry{import->module_name, import->field_name};
    // The C writer declares a repeated import once.
    if (std::find(names.imports.begin(), names.imports.end(), entry) == names.imports.end())
      names.imports.push_back(entry);
  }
  // ...and declares imports sorted by (module, name); exports stay in module order.
  std::sort(names.imports.begin(), names.imports.end());
  for (const wabt::Export* exported : module.exports) names.exports.push_back(exported->name);
  auto shim = aot_shim::generate(std::string(sources.module_h.begin(), sources.module_h.end()), prefix, names);
  if (!shim) return shim.error();
  sources.shim_c = std::move(shim.value());
  return sources;
}

// The sources compiled in a fresh build directory of the cache, the artifact stored as
// <key>.so with its checksum <key>.sum. Answers the artifact's path.
Result<std::string> compile_and_store(const CSources& sources, const std::string& filename, const std::string& key,
                                      const aot_engine::Toolchain& toolchain) {
  const std::string cache = aot_engine::cache_directory(toolchain);
  if (auto made = create_directories(cache, 0700); !made) return made.error();
  std::string work_template = cache + "/build-XXXXXX";
  if (::mkdtemp(work_template.data()) == nullptr) return io_error(cache + ": cannot create a build directory");
  const std::string work = work_template;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{work};
  for (auto [name, content] : {std::pair{"module.c", ByteView(sources.module_c.data(), sources.module_c.size())},
                               std::pair{"module.h", ByteView(sources.module_h.data(), sources.module_h.size())},
                               std::pair{"shim.c", as_bytes(sources.shim_c)},
                               std::pair{"aot_runtime.h", as_bytes(aot_embedded::kRuntimeHeader)}}) {
    if (auto written = write_file_atomically(work + "/" + name, content, 0600); !written) return written.error();
  }
  std::vector<std::string> arguments = {aot_engine::compiler(toolchain)};
  arguments.insert(arguments.end(), kFlags.begin(), kFlags.end());
  arguments.insert(arguments.end(), {"-I" + work, "-o", work + "/artifact.so"});
  if (sources.module_parts.empty()) {
    // One translation unit: a second compiler process would parse the headers again (a sixth
    // of a small module's compile).
    if (auto written =
            write_file_atomically(work + "/unit.c", as_bytes("#include \"module.c\"\n#include \"shim.c\"\n"), 0600);
        !written) {
      return written.error();
    }
    arguments.push_back(work + "/unit.c");
  } else {
    // The parts compiled side by side (part 0, which holds the data, first), then linked.
    std::vector<std::vector<std::string>> commands;
    std::vector<std::string> logs;
    for (size_t part = 0; part < sources.module_parts.size(); ++part) {
      const std::string name = work + "/part" + std::to_string(part);
      if (auto written = write_file_atomically(name + ".c", as_bytes(sources.module_parts[part]), 0600); !written) {
        return written.error();
      }
      std::vector<std::string> command = {aot_engine::compiler(toolchain)};
      command.insert(command.end(), kFlags.begin(), kFlags.end());
      command.insert(command.end(), {"-c", "-I" + work, "-o", name + ".o", name + ".c"});
      commands.push_back(std::move(command));
      logs.push_back(name + ".log");
      arguments.push_back(name + ".o");
    }
    // Progress by functions: each part's count of the C writer's function prologues.
    std::vector<size_t> functions;
    for (const auto& part : sources.module_parts) {
      size_t count = 0;
      for (size_t at = part.find("FUNC_PROLOGUE;"); at != std::string::npos; at = part.find("FUNC_PROLOGUE;", at + 1)) {
        ++count;
      }
      functions.push_back(count);
    }
    size_t done = 0, total = 0;
    for (size_t count : functions) total += count;
    auto finished = [&](size_t part) {
      done += functions[part];
      if (toolchain.on_progress) toolchain.on_progress(filename, done, total);
    };
    if (auto compiled = run_compilers(commands, logs, compile_jobs(), toolchain.cancelled.get(), finished); !compiled) {
      return compiled.error();
    }
    arguments.push_back(work + "/shim.c");
  }
  if (auto compiled = run_compilers({arguments}, {work + "/compiler.log"}, 1, toolchain.cancelled.get()); !compiled) {
    return compiled.error();
  }

  // The artifact first, then its checksum: a reader that finds the checksum finds the file.
  const std::string base = cache + "/" + key;
  auto sum = sum_of_file(work + "/artifact.so");
  if (!sum) return sum.error();
  if (::chmod((work + "/artifact.so").c_str(), 0600) != 0 ||
      ::rename((work + "/artifact.so").c_str(), (base + ".so").c_str()) != 0) {
    return io_error(base + ".so: cannot store the artifact");
  }
  if (auto written = write_file_atomically(base + ".sum", as_bytes(*sum), 0600); !written) return written.error();
  return base + ".so";
}

}  // namespace

Status check_cache_directory(const aot_engine::Toolchain& toolchain) {
  const std::string cache = aot_engine::cache_directory(toolchain);
  if (auto made = create_directories(cache, 0700); !made) return made.error();
  return check_owned_and_private(cache, "AOT cache directory");
}

std::string cache_key(ByteView wasm, const wasm_features::FeatureSet& features,
                      const aot_engine::Toolchain& toolchain) {
  sha256::Hasher hasher;
  hasher.update(wasm);
  std::string context = std::string("\n") + aot_shim::kAbiVersion + "\n" +
                        compiler_identity(aot_engine::compiler(toolchain)) + "\n" + features_text(features) + "\n";
  for (const auto& flag : kFlags) context += flag + " ";
  hasher.update(as_bytes(context));
  return encoding::hex_upper(hasher.finish()).substr(0, 40);
}

std::optional<std::string> find_cached(const std::string& key, const aot_engine::Toolchain& toolchain) {
  const std::string base = aot_engine::cache_directory(toolchain) + "/" + key;
  if (!check_owned_and_private(base + ".so", "artifact") || !check_owned_and_private(base + ".sum", "checksum")) {
    return std::nullopt;
  }
  auto expected = read_file_or_stdin(base + ".sum");
  if (!expected) return std::nullopt;
  auto actual = sum_of_file(base + ".so");
  if (!actual || *actual != std::string(as_text(*expected))) return std::nullopt;
  return base + ".so";
}

Result<aot_engine::CacheInfo> build(ByteView wasm, const std::string& filename,
                                    const wasm_features::FeatureSet& features, const std::string& key,
                                    const aot_engine::Toolchain& toolchain) {
  const auto started = std::chrono::steady_clock::now();
  auto instrumented = instrument_for_c(wasm, filename, features);
  if (!instrumented) return instrumented.error();
  const std::string prefix = "m" + key.substr(0, 16);  // unique per module: no clashes in one process
  auto sources = translate_to_c(*instrumented, filename, features, prefix, aot_engine::split_bytes(toolchain));
  if (!sources) return sources.error();
  auto stored = compile_and_store(*sources, filename, key, toolchain);
  if (!stored) return stored.error();
  aot_engine::CacheInfo artifact;
  artifact.artifact_path = std::move(stored.value());
  artifact.compile_milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return artifact;
}

}  // namespace wascc::aot_compiler
