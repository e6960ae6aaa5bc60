#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "guest_fixtures.h"
#include "wascc/engine/aot_engine.h"

using namespace wascc;

namespace {

// Points the cache at a fresh directory for one test (the process default: main.cpp sets
// the suite's own from ctest's XDG_CACHE_HOME).
struct FreshCache {
  std::string root;
  std::string previous;
  FreshCache() {
    root = (std::filesystem::temp_directory_path() / ("wascc-aot-" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(root);
    previous = aot_engine::cache_directory();
    aot_engine::Toolchain toolchain;
    toolchain.cache_directory = root + "/wascc/aot";
    aot_engine::set_default_toolchain(toolchain);
  }
  ~FreshCache() {
    aot_engine::Toolchain toolchain;
    toolchain.cache_directory = previous;
    aot_engine::set_default_toolchain(toolchain);
    std::filesystem::remove_all(root);
  }
};

}  // namespace

TEST_CASE("aot cache: built once, then found; directory 0700") {
  FreshCache cache;
  Bytes echo = test::example("echo");
  CHECK_FALSE(aot_engine::is_cached(echo));
  auto first = aot_engine::precompile(echo, "echo.wasm");
  REQUIRE_MESSAGE(first.ok(), first.error().message);
  CHECK_FALSE(first->from_cache);
  CHECK(aot_engine::is_cached(echo));
  auto second = aot_engine::precompile(echo, "echo.wasm");
  REQUIRE(second.ok());
  CHECK(second->from_cache);
  CHECK(second->artifact_path == first->artifact_path);
  struct stat info {};
  REQUIRE(::stat(aot_engine::cache_directory().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
}

TEST_CASE("aot cache: a corrupt or foreign artifact is rebuilt, never loaded") {
  FreshCache cache;
  Bytes echo = test::example("echo");
  auto built = aot_engine::precompile(echo, "echo.wasm");
  REQUIRE(built.ok());
  // Corrupt: flip a byte of the shared object; the checksum no longer matches.
  {
    std::fstream file(built->artifact_path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x55');
  }
  CHECK_FALSE(aot_engine::is_cached(echo));
  auto rebuilt = aot_engine::precompile(echo, "echo.wasm");
  REQUIRE(rebuilt.ok());
  CHECK_FALSE(rebuilt->from_cache);
  // Foreign: some other file under our name, without its checksum.
  std::filesystem::remove(built->artifact_path.substr(0, built->artifact_path.size() - 3) + ".sum");
  std::filesystem::copy_file("/bin/true", built->artifact_path, std::filesystem::copy_options::overwrite_existing);
  CHECK_FALSE(aot_engine::is_cached(echo));
  auto guest = test::load_guest("aot", echo);
  CHECK(std::string(as_text(*guest.host->call("echo", as_bytes("ok")))) == "ok");
}

TEST_CASE("aot cache: a directory others may write, or a planted artifact writable by others, is never loaded") {
  FreshCache cache;
  Bytes echo = test::example("echo");
  auto built = aot_engine::precompile(echo, "echo.wasm");
  REQUIRE(built.ok());
  // A planted artifact with a matching checksum, but group-writable: refused, rebuilt.
  REQUIRE(::chmod(built->artifact_path.c_str(), 0620) == 0);
  CHECK_FALSE(aot_engine::is_cached(echo));
  // The directory itself made world-writable: nothing is loaded from it or written to it.
  REQUIRE(::chmod(aot_engine::cache_directory().c_str(), 0777) == 0);
  auto refused = aot_engine::precompile(echo, "echo.wasm");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        aot_engine::cache_directory() +
            ": the AOT cache directory is writable by others (mode 0777): refused (AOT artifacts "
            "are loaded as code; chmod go-w it)");
  REQUIRE(::chmod(aot_engine::cache_directory().c_str(), 0700) == 0);
}

TEST_CASE("aot cache: two processes compiling the same module at once both succeed") {
  FreshCache cache;
  Bytes greeter = test::example("greeter");
  pid_t children[2];
  for (auto& child : children) {
    child = ::fork();
    if (child == 0) _exit(aot_engine::precompile(greeter, "greeter.wasm").ok() ? 0 : 1);
  }
  for (auto child : children) {
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  CHECK(aot_engine::is_cached(greeter));
  auto guest = test::load_guest("aot", greeter);
  CHECK(std::string(as_text(*guest.host->call("shout", as_bytes("x")))) == "X");
}

TEST_CASE("aot: several modules in one process do not clash; SIMD is refused with a clear error") {
  auto echo = test::load_guest("aot", test::example("echo"));
  auto greeter = test::load_guest("aot", test::example("greeter"));
  auto echo_again = test::load_guest("aot", test::example("echo"));
  CHECK(std::string(as_text(*echo.host->call("e", as_bytes("1")))) == "1");
  CHECK(std::string(as_text(*greeter.host->call("echo", as_bytes("2")))) == "2");
  CHECK(std::string(as_text(*echo_again.host->call("e", as_bytes("3")))) == "3");
  auto engine = guest_launch::create_engine("aot");
  Bytes simd = test::compile_wat(
      "(module (memory (export \"memory\") 1) (func (export \"__guest_call\") (param i32 i32) (result i32)"
      " (drop (v128.const i32x4 1 2 3 4)) (i32.const 1)))");
  auto refused = wapc::Host::load(**engine, simd, "simd.wasm", {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("uses SIMD, which WABT 1.0.32's C writer cannot translate") != std::string::npos);
}

TEST_CASE("auto: native code when cached or when many calls are expected, else the interpreter") {
  FreshCache cache;
  Bytes greeter = test::example("greeter");
  CHECK(guest_launch::resolve_auto_engine(greeter, 1) == "interp");
  CHECK(guest_launch::resolve_auto_engine(greeter, guest_launch::kAutoCompileAfterCalls) == "aot");
  REQUIRE(aot_engine::precompile(greeter, "greeter.wasm").ok());
  CHECK(guest_launch::resolve_auto_engine(greeter, 1) == "aot");
}

TEST_CASE("aot: a module compiled in parts (each its own compiler) behaves as the interpreter") {
  FreshCache cache;
  const Bytes wasm = test::compile_wat(R"((module
    (memory 1)
    (global $calls (mut i32) (i32.const 0))
    (type $unary (func (param i32) (result i32)))
    (table 3 funcref)
    (elem (i32.const 0) $double $square $fib)
    (func $count (global.set $calls (i32.add (global.get $calls) (i32.const 1))))
    (func $double (type $unary) (call $count) (i32.mul (local.get 0) (i32.const 2)))
    (func $square (type $unary) (call $count) (i32.mul (local.get 0) (local.get 0)))
    (func $fib (type $unary)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $store (param i32 i32) (i32.store (i32.shl (local.get 0) (i32.const 2)) (local.get 1)))
    (func $sum (param i32) (result i32) (local i32)
      (block $done (loop $next (br_if $done (i32.eqz (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (local.set 1 (i32.add (local.get 1) (i32.load (i32.shl (local.get 0) (i32.const 2)))))
        (br $next)))
      (local.get 1))
    (func (export "apply") (param i32 i32) (result i32)
      (call_indirect (type $unary) (local.get 1) (local.get 0)))
    (func (export "fill_and_sum") (param i32) (result i32) (local i32)
      (block $done (loop $next (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (call $store (local.get 1)
          (call_indirect (type $unary) (i32.and (local.get 1) (i32.const 15)) (i32.rem_u (local.get 1) (i32.const 3))))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $next)))
      (call $sum (local.get 0)))
    (func (export "calls") (result i32) (global.get $calls))))");
  // A body that reads a data segment (memory.init) keeps the file whole: still compiles, still alike.
  const Bytes with_segment = test::compile_wat(R"((module
    (memory 1)
    (data $greeting "hello")
    (func $first (result i32) (i32.const 1))
    (func $second (result i32) (i32.const 2))
    (func (export "init") (result i32)
      (memory.init $greeting (i32.const 100) (i32.const 0) (i32.const 5))
      (i32.add (i32.load8_u (i32.const 104)) (i32.add (call $first) (call $second))))))");
  aot_engine::Toolchain in_parts;
  in_parts.split_bytes = 256;  // every function its own part, up to the cap
  const auto aot = aot_engine::create({}, in_parts);
  auto interp = guest_launch::create_engine("interp");
  REQUIRE(interp.ok());
  auto split = aot->load(wasm, "parts.wasm");
  REQUIRE_MESSAGE(split.ok(), split.error().message);
  auto reference = (*interp)->load(wasm, "parts.wasm");
  REQUIRE(reference.ok());
  auto split_instance = (*split)->instantiate({}, {});
  auto reference_instance = (*reference)->instantiate({}, {});
  REQUIRE((split_instance.ok() && reference_instance.ok()));
  const std::vector<std::pair<const char*, std::vector<uint64_t>>> calls = {{"apply", {21, 0}}, {"apply", {12, 1}},
                                                                            {"apply", {20, 2}}, {"fill_and_sum", {40}},
                                                                            {"apply", {1, 7}},  {"calls", {}}};
  for (const auto& [module, name] : {std::pair{&with_segment, "init"}}) {
    auto split_module = aot->load(*module, "segment.wasm");
    REQUIRE_MESSAGE(split_module.ok(), split_module.error().message);
    auto instance = (*split_module)->instantiate({}, {});
    REQUIRE(instance.ok());
    auto got = (*instance)->call(name, {}, {});
    REQUIRE_FALSE(got.trap.has_value());
    CHECK(got.results == std::vector<uint64_t>{'o' + 3u});
  }
  for (const auto& [name, args] : calls) {
    const std::string call_name = name;
    CAPTURE(call_name);
    auto got = (*split_instance)->call(name, args, {});
    auto expected = (*reference_instance)->call(name, args, {});
    REQUIRE_MESSAGE(got.trap.has_value() == expected.trap.has_value(), (got.trap        ? got.trap->message
                                                                        : expected.trap ? expected.trap->message
                                                                                        : ""));
    if (got.trap) {
      CHECK(got.trap->kind == expected.trap->kind);  // the table index 7 is out of bounds
    } else {
      CHECK(got.results == expected.results);
    }
  }
}
