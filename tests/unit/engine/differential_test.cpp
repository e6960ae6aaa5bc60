// Every guest of the project through both engines: identical replies, guest errors, and
// error kinds for traps and limits (trap texts may differ in detail between engines).
#include <doctest/doctest.h>

#include <cstdlib>

#include "guest_fixtures.h"

using namespace wascc;

namespace {

struct Outcome {
  bool ok = false;
  std::string reply_or_message;
  wapc::FailureKind kind = wapc::FailureKind::GuestError;
  std::optional<limits::LimitKind> limit;
};

Outcome run(wapc::Host& host, const std::string& operation, const std::string& payload) {
  auto reply = host.call(operation, as_bytes(payload));
  if (reply) return {true, std::string(as_text(*reply)), {}, {}};
  return {false, reply.error().message, reply.error().kind, reply.error().limit};
}

// Fuel is deterministic across engines, wall time is not: runaway loops must meet the fuel
// limit long before the deadline even on the interpreter.
wapc::Options options_for_differential(uint64_t fuel = 20'000'000) {
  wapc::Options options;
  options.limits.fuel = fuel;
  options.limits.timeout = std::chrono::seconds(5);
  options.limits.max_memory_pages = 64;
  options.host_call = [](const wapc::HostCall& call) -> Result<Bytes> {
    if (std::string(as_text(call.payload)) == "deny") return input_error("denied: " + call.operation);
    std::string answer =
        call.binding + "/" + call.namespace_ + "/" + call.operation + ":" + std::string(as_text(call.payload));
    return Bytes(answer.begin(), answer.end());
  };
  return options;
}

struct Case {
  std::string guest;
  std::vector<std::pair<std::string, std::string>> calls;  // operation, payload
};

void compare_engines(const Bytes& wasm, const Case& c, uint64_t fuel = 20'000'000) {
  auto interp = test::load_guest("interp", wasm, options_for_differential(fuel));
  auto aot = test::load_guest("aot", wasm, options_for_differential(fuel));
  for (const auto& call : c.calls) {
    const auto& [operation, payload] = call;
    CAPTURE(c.guest);
    CAPTURE(call.first);  // clang 14 cannot capture a structured binding
    Outcome a = run(*interp.host, operation, payload);
    Outcome b = run(*aot.host, operation, payload);
    CHECK(a.ok == b.ok);
    CHECK(a.kind == b.kind);
    CHECK(a.limit == b.limit);
    if (a.ok || a.kind != wapc::FailureKind::Trap) CHECK(a.reply_or_message == b.reply_or_message);
  }
}

}  // namespace

TEST_CASE("differential: every example guest gives the same outcomes on interp and aot") {
  const std::vector<Case> cases = {
      {"echo", {{"echo", "hello"}, {"echo", ""}, {"x", std::string(100000, 'z')}}},
      {"hostcall", {{"lookup", "key"}, {"lookup", "deny"}, {"other", ""}}},
      {"guest_error", {{"boom", ""}, {"naïve ☃", "x"}}},
      {"trap", {{"x", ""}, {"y", "again"}}},
      {"loop", {{"spin", ""}}},
      {"memory_bomb", {{"grow", ""}}},
      {"wild_pointers",
       {{"request", ""},
        {"response", ""},
        {"error", ""},
        {"host_call", ""},
        {"log", ""},
        {"host_response", ""},
        {"host_error", "deny"},
        {"overflow", ""},
        {"fine", ""}}},
      {"greeter", {{"echo", "hi"}, {"greet", "x"}, {"greet", "deny"}, {"shout", "abc"}, {"fail", ""}, {"nope", ""}}},
  };
  for (const auto& c : cases) compare_engines(test::example(c.guest), c);
}

TEST_CASE("differential: traps of every kind classify alike; stack exhaustion is a trap, not a crash") {
  const char* guest = R"((module
    (import "wapc" "__guest_request" (func $req (param i32 i32)))
    (import "wapc" "__guest_response" (func $resp (param i32 i32)))
    (memory (export "memory") 1)
    (table 2 funcref)
    (func $recurse (param i32) (result i32) (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
    (func (export "__guest_call") (param $op i32) (param $len i32) (result i32)
      (call $req (i32.const 100) (i32.const 200))
      (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 111)) (then (drop (i32.load (i32.const 0x7ffffff0)))))     ;; o: out of bounds
      (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 100)) (then (drop (i32.div_u (i32.const 1) (i32.const 0))))) ;; d: divide by zero
      (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 114)) (then (drop (call $recurse (i32.const 0)))))         ;; r: recursion
      (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 105)) (then (call_indirect (i32.const 1))))                ;; i: null table entry
      (call $resp (i32.const 100) (local.get $op))
      (i32.const 1)))
  )";
  Case c{"traps", {{"oob", ""}, {"div", ""}, {"recurse", ""}, {"indirect", ""}, {"fine", ""}}};
  // Enough fuel for native recursion to reach the end of its stack (its frames are tiny).
  constexpr uint64_t kDeepFuel = 500'000'000;
  compare_engines(test::compile_wat(guest), c, kDeepFuel);
  auto aot = test::load_guest("aot", test::compile_wat(guest), options_for_differential(kDeepFuel));
  auto exhausted = aot.host->call("recurse", {});
  REQUIRE_FALSE(exhausted.ok());
  CHECK(exhausted.error().message == "wasm trap: call stack exhausted");
  CHECK(aot.host->call("oob", {}).error().message == "wasm trap: out of bounds memory access");
  CHECK(std::string(as_text(*aot.host->call("fine", {}))) == "fine");
}

TEST_CASE("differential: the AssemblyScript guest" * doctest::test_suite("as-guest")) {
  const char* path = std::getenv("WASCC_AS_GUEST");
  REQUIRE(path != nullptr);
  auto wasm = read_file_or_stdin(path);
  REQUIRE(wasm.ok());
  compare_engines(*wasm, {"as_guest",
                          {{"echo", "hi"},
                           {"hostecho", "x"},
                           {"hostecho", "deny"},
                           {"fail", "boom"},
                           {"abort", "short"},
                           {"log", "z"},
                           {"nope", ""}}});
}
