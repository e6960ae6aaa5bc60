// Declarations that exceed the limits are refused before anything is allocated, on every engine.
#include <doctest/doctest.h>

#include "guest_fixtures.h"
#include "wascc/wasm/declared_sizes.h"

using namespace wascc;
using test::compile_wat;

namespace {

constexpr const char* kGuestCall = R"((func (export "__guest_call") (param i32 i32) (result i32) (i32.const 1)))";

std::string module_with(const std::string& fields) {
  return "(module (memory (export \"memory\") 1) " + fields + kGuestCall + ")";
}

std::string function_with_locals(size_t count) {
  std::string locals;
  for (size_t i = 0; i < count; ++i) locals += " i64";
  return "(func $f (param i32) (result i32) (local" + locals +
         ") (if (result i32) (local.get 0) (then (call $f (i32.sub (local.get 0) (i32.const 1)))) (else (i32.const "
         "1))))";
}

Result<std::unique_ptr<wapc::Host>> load(const std::string& engine_name, const Bytes& wasm,
                                         limits::Limits limits = {}) {
  auto engine = guest_launch::create_engine(engine_name);
  REQUIRE(engine.ok());
  static std::vector<std::unique_ptr<engine::Engine>> keep;  // the host refers to its engine
  keep.push_back(std::move(engine.value()));
  wapc::Options options;
  options.limits = limits;
  return wapc::Host::load(*keep.back(), wasm, "guest.wasm", options);
}

}  // namespace

TEST_CASE("declared_sizes::read: initial memory, tables and the function with the most locals") {
  auto sizes =
      declared_sizes::read(compile_wat("(module (memory 3 10) (table 7 funcref) (table 2 funcref) (func (local i32 "
                                       "i32) (local f64)) (func (local i64)))"));
  REQUIRE(sizes.ok());
  CHECK(sizes->initial_memory_pages == 3);
  CHECK(sizes->initial_table_elements == 7);
  CHECK(sizes->most_locals == 3);
  CHECK(sizes->function_with_most_locals == 0);
}

TEST_CASE("initial memory over --max-memory-pages is refused at instantiation (memory 32768, 16 allowed)") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    limits::Limits limits;
    limits.max_memory_pages = 16;
    auto host = load(engine, compile_wat("(module (memory (export \"memory\") 32768) " + std::string(kGuestCall) + ")"),
                     limits);
    REQUIRE_FALSE(host.ok());
    CHECK(
        host.error().message ==
        "guest.wasm: initialization failed: the module's initial memory of 32768 pages is over the limit of 16 pages");
  }
}

TEST_CASE("a table of a billion elements is refused at instantiation") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    auto host = load(engine, compile_wat(module_with("(table 1000000000 funcref)")));
    REQUIRE_FALSE(host.ok());
    CHECK(host.error().message ==
          "guest.wasm: initialization failed: the module's initial table of 1000000000 elements is over the limit of "
          "1000000 elements");
  }
}

TEST_CASE(
    "a function with more locals than the JS API allows is refused at load; big frames count on the interpreter") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    auto host = load(engine, compile_wat(module_with(function_with_locals(50'001))));
    REQUIRE_FALSE(host.ok());
    CHECK(host.error().message == "guest.wasm: error: function 0 declares 50001 locals, over the limit of 50000");
  }
  // 20,000 locals in up to 1638 interpreter frames would take 500 MiB of heap: over 4096 pages.
  auto interp = load("interp", compile_wat(module_with(function_with_locals(20'000))));
  REQUIRE_FALSE(interp.ok());
  CHECK(interp.error().message.find("locals: a recursion of it could take") != std::string::npos);
  limits::Limits roomy;
  roomy.max_memory_pages = 65536;
  CHECK(load("interp", compile_wat(module_with(function_with_locals(20'000))), roomy).ok());
}
