// Fuel kept in a local per function (metering.cpp) still charges every way a function can end:
// falling through, `return`, a branch to the function's own label, a multi-value result, and
// recursion. A callee that burns fuel in its loop and leaves early must be charged to its caller's
// budget, or a budget could be outrun by calling it; and both engines stop at the same point.
#include <doctest/doctest.h>

#include "guest_fixtures.h"
#include "wascc/wapc/guest_launch.h"

using namespace wascc;

namespace {

// `NAME(n)` calls `$spin_NAME` n times; each spin loops 100 times (~1,100 fuel units) and
// leaves in its own way (`exit`: what follows its loop).
struct Exit {
  const char* name;
  const char* results;
  const char* exit;
  const char* use;  // how the caller folds the result into its sum
};
const Exit kExits[] = {{"fall", "i32", "(local.get 0)", ""},
                       {"return", "i32", "(return (local.get 0))", ""},
                       {"branch", "i32", "(br 0 (local.get 0))", ""},
                       {"pair", "i32 i32", "(local.get 0) (i32.const 1)", "(i32.add)"}};

std::string spin_module() {
  std::string wat = "(module\n";
  for (const auto& exit : kExits) {
    const std::string name = exit.name;
    wat += "(func $spin_" + name + " (result " + exit.results +
           ") (local i32)\n"
           "  (loop $l (local.set 0 (i32.add (local.get 0) (i32.const 1)))\n"
           "           (br_if $l (i32.lt_u (local.get 0) (i32.const 100))))\n  " +
           exit.exit +
           ")\n"
           "(func (export \"" +
           name +
           "\") (param i32) (result i32) (local i32)\n"
           "  (block $done (loop $l (br_if $done (i32.eqz (local.get 0)))\n"
           "    (local.set 1 (i32.add (local.get 1) (call $spin_" +
           name + ") " + exit.use +
           "))\n"
           "    (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br $l)))\n  (local.get 1))\n";
  }
  // The caller's own loop costs ~140 units a turn and calls an empty function: its charges
  // must reach the global before each call, or the callee's read of it forgets them.
  wat +=
      "(func $nothing)\n(func (export \"heavy_caller\") (param i32) (local i32)\n"
      "  (block $done (loop $l (br_if $done (i32.eqz (local.get 0)))\n";
  for (int i = 0; i < 30; ++i) wat += "    (local.set 1 (i32.add (local.get 1) (i32.const 1)))\n";
  wat += "    (call $nothing) (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br $l))))\n";
  return wat + R"((func $countdown (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $countdown (i32.sub (local.get 0) (i32.const 1)))))))
  (func (export "countdown") (param i32) (result i32) (call $countdown (local.get 0)))))";
}

}  // namespace

TEST_CASE("metering: a callee's fuel is charged however it returns, alike on every engine") {
  const Bytes wasm = test::compile_wat(spin_module());
  for (const auto& engine_name : test::engines_under_test()) {
    CAPTURE(engine_name);
    auto engine = guest_launch::create_engine(engine_name);
    REQUIRE(engine.ok());
    auto loaded = (*engine)->load(wasm, "spin.wasm");
    REQUIRE_MESSAGE(loaded.ok(), loaded.error().message);
    for (const auto& way : kExits) {
      const std::string exit = way.name;
      CAPTURE(exit);
      limits::Limits ample;
      ample.fuel = 1'000'000;
      auto instance = (*loaded)->instantiate({}, ample);
      REQUIRE(instance.ok());
      const uint64_t hundred[] = {100};
      auto done = (*instance)->call(exit, hundred, ample);
      REQUIRE_FALSE(done.trap.has_value());
      CHECK(done.results.at(0) == (exit == "pair" ? 10100u : 10000u));
      // 100 calls of ~1,100 units each: a budget of 50,000 must run out, whatever the exit.
      limits::Limits tight;
      tight.fuel = 50'000;
      auto fresh = (*loaded)->instantiate({}, tight);
      REQUIRE(fresh.ok());
      auto stopped = (*fresh)->call(exit, hundred, tight);
      REQUIRE(stopped.trap.has_value());
      CHECK(stopped.trap->kind == engine::TrapKind::Limit);
    }
    {
      limits::Limits tight;
      tight.fuel = 5'000;  // 100 turns of ~140 units
      auto fresh = (*loaded)->instantiate({}, tight);
      REQUIRE(fresh.ok());
      const uint64_t hundred[] = {100};
      auto stopped = (*fresh)->call("heavy_caller", hundred, tight);
      REQUIRE(stopped.trap.has_value());
      CHECK(stopped.trap->kind == engine::TrapKind::Limit);
    }
    limits::Limits ample;
    ample.fuel = 1'000'000;
    auto instance = (*loaded)->instantiate({}, ample);
    REQUIRE(instance.ok());
    const uint64_t depth[] = {500};
    auto counted = (*instance)->call("countdown", depth, ample);
    REQUIRE_FALSE(counted.trap.has_value());
    CHECK(counted.results.at(0) == 500u);
    limits::Limits tight;
    tight.fuel = 2'000;  // 500 entries of a dozen units each
    auto recursing = (*loaded)->instantiate({}, tight);
    REQUIRE(recursing.ok());
    auto stopped = (*recursing)->call("countdown", depth, tight);
    REQUIRE(stopped.trap.has_value());
    CHECK(stopped.trap->kind == engine::TrapKind::Limit);
  }
}
