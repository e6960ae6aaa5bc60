#include <doctest/doctest.h>

#include <cstring>

#include "guest_fixtures.h"
#include "wascc/wapc/process_host_handler.h"

using namespace wascc;
using test::example;
using test::load_guest;

namespace {

std::string text_of(const Bytes& bytes) { return std::string(as_text(bytes)); }

// A guest whose operations exercise per-call state: "first" answers "first"; "none" returns
// 1 without calling __guest_response; "trap" traps; anything else echoes.
const char* kStatefulGuest = R"((module
  (import "wapc" "__guest_request" (func $req (param i32 i32)))
  (import "wapc" "__guest_response" (func $resp (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "first")
  (func (export "__guest_call") (param $op i32) (param $len i32) (result i32)
    (call $req (i32.const 100) (i32.add (i32.const 100) (local.get $op)))
    (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 102)) ;; 'f'
      (then (call $resp (i32.const 0) (i32.const 5)) (return (i32.const 1))))
    (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 110)) ;; 'n'
      (then (return (i32.const 1))))
    (if (i32.eq (i32.load8_u (i32.const 100)) (i32.const 116)) ;; 't'
      (then unreachable))
    (call $resp (i32.add (i32.const 100) (local.get $op)) (local.get $len))
    (i32.const 1)))
)";

}  // namespace

TEST_CASE("echo round trips, empty and 16 MiB payloads, on every engine") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    auto guest = load_guest(engine, example("echo"));
    auto reply = guest.host->call("echo", as_bytes("hello"));
    REQUIRE(reply.ok());
    CHECK(text_of(*reply) == "hello");
    auto empty = guest.host->call("echo", {});
    REQUIRE(empty.ok());
    CHECK(empty->empty());
    Bytes big(16u << 20);
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 131 + (i >> 16));
    auto big_reply = guest.host->call("echo", big);
    REQUIRE(big_reply.ok());
    CHECK(*big_reply == big);
  }
}

TEST_CASE("per-call state is cleared: no stale reply, and a trap does not poison the next call") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    auto guest = load_guest(engine, test::compile_wat(kStatefulGuest));
    CHECK(text_of(*guest.host->call("first", {})) == "first");
    auto none = guest.host->call("none", {});
    REQUIRE(none.ok());
    CHECK(none->empty());  // @wapc/host would answer "first" here
    auto trapped = guest.host->call("trap", {});
    REQUIRE_FALSE(trapped.ok());
    CHECK(trapped.error().kind == wapc::FailureKind::Trap);
    CHECK(trapped.error().message == "wasm trap: unreachable executed");
    auto after = guest.host->call("echo", as_bytes("still here"));
    REQUIRE(after.ok());
    CHECK(text_of(*after) == "still here");
  }
}

TEST_CASE("guest errors pass through intact, UTF-8 included; traps keep the guest's text") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    auto failing = load_guest(engine, example("guest_error"));
    auto failed = failing.host->call("naïve ☃", {});
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind == wapc::FailureKind::GuestError);
    CHECK(failed.error().message == "operation failed: naïve ☃");
    auto trapping = load_guest(engine, example("trap"));
    auto trapped = trapping.host->call("x", {});
    REQUIRE_FALSE(trapped.ok());
    CHECK(trapped.error().message == "wasm trap: unreachable executed; guest error: about to trap");
  }
}

TEST_CASE("limits: fuel and deadline stop a runaway guest, the page cap a memory bomb; the host goes on") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    wapc::Options fuel_options;
    fuel_options.limits.fuel = 2'000'000;
    auto by_fuel = load_guest(engine, example("loop"), fuel_options);
    auto out_of_fuel = by_fuel.host->call("spin", {});
    REQUIRE_FALSE(out_of_fuel.ok());
    CHECK(out_of_fuel.error().kind == wapc::FailureKind::Limit);
    CHECK(out_of_fuel.error().limit == limits::LimitKind::Fuel);

    wapc::Options deadline_options;
    deadline_options.limits.timeout = std::chrono::milliseconds(100);
    auto by_deadline = load_guest(engine, example("loop"), deadline_options);
    const auto start = std::chrono::steady_clock::now();
    auto timed_out = by_deadline.host->call("spin", {});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(timed_out.ok());
    CHECK(timed_out.error().limit == limits::LimitKind::Deadline);
    CHECK(timed_out.error().message == "guest code interrupted, execution deadline exceeded");
    CHECK(took < std::chrono::seconds(2));

    wapc::Options memory_options;
    memory_options.limits.max_memory_pages = 64;
    auto bomb = load_guest(engine, example("memory_bomb"), memory_options);
    auto capped = bomb.host->call("grow", {});
    REQUIRE_FALSE(capped.ok());
    CHECK(capped.error().limit == limits::LimitKind::Memory);
    CHECK(capped.error().message == "guest memory limit exceeded (64 pages)");
    // Same host, fresh instance: still answers (and still refuses).
    CHECK(bomb.host->call("grow", {}).error().limit == limits::LimitKind::Memory);
  }
}

TEST_CASE("wild pointers are refused with the access named, and the host keeps working") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    wapc::Options options;
    options.host_call = [](const wapc::HostCall&) -> Result<Bytes> { return Bytes{'o', 'k'}; };
    auto guest = load_guest(engine, example("wild_pointers"), options);
    for (const char* op : {"request", "response", "error", "host_call", "log", "host_response", "overflow"}) {
      CAPTURE(op);
      auto refused = guest.host->call(op, {});
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.error().kind == wapc::FailureKind::HostRefused);
      CHECK(refused.error().message.find("overruns guest memory of 65536 bytes") != std::string::npos);
      auto fine = guest.host->call("fine", {});
      REQUIRE(fine.ok());
      CHECK(text_of(*fine) == "fine");
    }
  }
}

TEST_CASE("host calls: the handler sees binding, namespace, operation, payload; errors reach the guest") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    wapc::HostCall seen;
    std::string seen_payload;
    wapc::Options options;
    options.host_call = [&](const wapc::HostCall& call) -> Result<Bytes> {
      seen = call;
      seen_payload = std::string(as_text(call.payload));
      if (seen_payload == "fail") return input_error("naïve ☃ denied");
      return Bytes{'4', '2'};
    };
    std::vector<std::string> logs;
    options.log = [&](wapc::LogSource, std::string_view text) { logs.emplace_back(text); };
    auto guest = load_guest(engine, example("hostcall"), options);
    auto answer = guest.host->call("lookup", as_bytes("key"));
    REQUIRE(answer.ok());
    CHECK(text_of(*answer) == "42");
    CHECK(seen.binding == "default");
    CHECK(seen.namespace_ == "example:host");
    CHECK(seen.operation == "lookup");
    CHECK(seen_payload == "key");
    CHECK(logs == std::vector<std::string>{"calling the host"});
    auto refused = guest.host->call("lookup", as_bytes("fail"));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == "Host error: naïve ☃ denied");  // UTF-8 byte lengths
  }
}

TEST_CASE("host-call depth is limited across nested guests") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    // Each guest's host call runs the next guest: a chain deeper than the limit.
    std::vector<test::LoadedGuest> chain;
    std::vector<wapc::Host*> hosts(6, nullptr);
    for (int i = 0; i < 6; ++i) {
      wapc::Options options;
      options.limits.max_host_call_depth = 3;
      options.host_call = [&hosts, i](const wapc::HostCall& call) -> Result<Bytes> {
        if (i + 1 >= static_cast<int>(hosts.size())) return Bytes{'e', 'n', 'd'};
        auto reply = hosts[i + 1]->call(call.operation, call.payload);
        if (!reply) return input_error(reply.error().message);
        return reply.value();
      };
      chain.push_back(load_guest(engine, example("hostcall"), options));
      hosts[i] = chain.back().host.get();
    }
    auto deep = hosts[0]->call("down", {});
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().message.find("host call depth limit exceeded (3)") != std::string::npos);
    // Within the limit it works: start nearer the end of the chain.
    auto shallow = hosts[3]->call("down", {});
    REQUIRE(shallow.ok());
    CHECK(text_of(*shallow) == "end");
  }
}

TEST_CASE("load refuses modules that are not waPC guests, with a clear error") {
  auto engine = guest_launch::create_engine("interp");
  REQUIRE(engine.ok());
  auto no_entry =
      wapc::Host::load(**engine, test::compile_wat("(module (memory (export \"memory\") 1))"), "m.wasm", {});
  REQUIRE_FALSE(no_entry.ok());
  CHECK(no_entry.error().message == "m.wasm: not a waPC guest: it does not export __guest_call");
  auto no_memory = wapc::Host::load(
      **engine, test::compile_wat("(module (func (export \"__guest_call\") (param i32 i32) (result i32) i32.const 1))"),
      "m.wasm", {});
  REQUIRE_FALSE(no_memory.ok());
  CHECK(no_memory.error().message == "m.wasm: not a waPC guest: it does not export its memory as \"memory\"");
  auto unknown_import =
      wapc::Host::load(**engine,
                       test::compile_wat("(module (import \"acme\" \"thing\" (func)) (memory (export \"memory\") 1)"
                                         " (func (export \"__guest_call\") (param i32 i32) (result i32) i32.const 1))"),
                       "m.wasm", {});
  REQUIRE_FALSE(unknown_import.ok());
  CHECK(unknown_import.error().message == "m.wasm: cannot link: unknown import acme.thing");
  auto garbage = wapc::Host::load(**engine, as_bytes("\0asm garbage"), "g.wasm", {});
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().kind == ErrorKind::Input);
}

TEST_CASE("init runs start, _start, _initialize, wapc_init in order; WASI proc_exit(0) is success") {
  const char* guest = R"((module
    (import "wapc" "__guest_response" (func $resp (param i32 i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (global $at (mut i32) (i32.const 0))
    (func $mark (param i32) (i32.store8 (global.get $at) (local.get 0)) (global.set $at (i32.add (global.get $at) (i32.const 1))))
    (func $start (call $mark (i32.const 83)))                        ;; S
    (start $start)
    (func (export "_initialize") (call $mark (i32.const 73)))         ;; I
    (func (export "wapc_init") (call $mark (i32.const 87)))           ;; W
    (data (i32.const 200) "hi from wasi\n")
    (func (export "_start")
      (call $mark (i32.const 95))                                     ;; _
      (i32.store (i32.const 300) (i32.const 200))
      (i32.store (i32.const 304) (i32.const 13))
      (drop (call $write (i32.const 1) (i32.const 300) (i32.const 1) (i32.const 400)))
      (call $exit (i32.const 0)))
    (func (export "__guest_call") (param i32 i32) (result i32)
      (call $resp (i32.const 0) (global.get $at)) (i32.const 1)))
  )";
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    std::string logged;
    wapc::Options options;
    options.log = [&](wapc::LogSource source, std::string_view text) {
      if (source == wapc::LogSource::Stdout) logged += text;
    };
    auto loaded = load_guest(engine, test::compile_wat(guest), options);
    auto order = loaded.host->call("order", {});
    REQUIRE(order.ok());
    CHECK(text_of(*order) == "S_IW");
    CHECK(logged == "hi from wasi\n");
  }
}

TEST_CASE("a non-zero proc_exit during init fails the load") {
  const char* guest = R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $exit (i32.const 3)))
    (func (export "__guest_call") (param i32 i32) (result i32) (i32.const 1))))";
  auto engine = guest_launch::create_engine("interp");
  auto host = wapc::Host::load(**engine, test::compile_wat(guest), "exit.wasm", {});
  REQUIRE_FALSE(host.ok());
  CHECK(host.error().message == "exit.wasm: initialization failed in _start: guest exited with code 3");
}

TEST_CASE("process host handler: environment, stdin, stdout; stderr and status on failure") {
  const std::string payload = "payload";
  wapc::HostCall call{"b", "ns", "op", as_bytes(payload)};
  auto reply = process_host_handler::run(
      "printf '%s|%s|%s|' \"$WAPC_BINDING\" \"$WAPC_NAMESPACE\" \"$WAPC_OPERATION\"; cat", call);
  REQUIRE(reply.ok());
  CHECK(text_of(*reply) == "b|ns|op|payload");
  auto failed = process_host_handler::run("echo 'no such key' >&2; exit 4", call);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().message == "no such key");
  auto silent = process_host_handler::run("exit 5", call);
  CHECK(silent.error().message == "host handler exit status 5");
  // A command that ignores its stdin must not kill the host with SIGPIPE.
  std::string big(1 << 20, 'x');
  wapc::HostCall big_call{"", "ns", "op", as_bytes(big)};
  CHECK(text_of(*process_host_handler::run("echo ignored", big_call)) == "ignored\n");
}

TEST_CASE("timeouts parse as wapc documents them") {
  CHECK(limits::parse_timeout("250")->count() == 250);
  CHECK(limits::parse_timeout("500ms")->count() == 500);
  CHECK(limits::parse_timeout("2s")->count() == 2000);
  CHECK(limits::parse_timeout("1.5s")->count() == 1500);
  CHECK(limits::parse_timeout("1m")->count() == 60000);
  for (const char* bad : {"", "0", "-1s", "fast", "2h", "1e13"}) CHECK_MESSAGE(!limits::parse_timeout(bad).ok(), bad);
}

TEST_CASE("host functions work during the start function: memory.grow and __console_log (every OPA policy)") {
  const char* guest = R"((module
    (import "wapc" "__console_log" (func $log (param i32 i32)))
    (import "wapc" "__guest_response" (func $resp (param i32 i32)))
    (memory (export "memory") 1)
    (global $pages (mut i32) (i32.const 0))
    (data (i32.const 16) "from start")
    (func $start
      (drop (memory.grow (i32.const 1)))
      (global.set $pages (memory.size))
      (call $log (i32.const 16) (i32.const 10)))
    (start $start)
    (func (export "__guest_call") (param i32 i32) (result i32)
      (i32.store8 (i32.const 0) (i32.add (i32.const 48) (global.get $pages)))
      (call $resp (i32.const 0) (i32.const 1)) (i32.const 1)))
  )";
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    std::string logged;
    wapc::Options options;
    options.log = [&](wapc::LogSource, std::string_view text) { logged += text; };
    auto loaded = load_guest(engine, test::compile_wat(guest), options);
    auto pages = loaded.host->call("pages", {});
    REQUIRE(pages.ok());
    CHECK(text_of(*pages) == "2");
    CHECK(logged.find("from start") != std::string::npos);
  }
}

TEST_CASE("proc_exit(0) in a start section is success, as in _start; a non-zero code is not") {
  auto guest = [](int code) {
    return std::string(R"((module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (import "wapc" "__guest_response" (func $resp (param i32 i32)))
      (memory (export "memory") 1)
      (data (i32.const 0) "alive")
      (func $start (call $exit (i32.const )") +
           std::to_string(code) + R"()))
      (start $start)
      (func (export "__guest_call") (param i32 i32) (result i32) (call $resp (i32.const 0) (i32.const 5)) (i32.const 1))))";
  };
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    auto loaded = load_guest(engine, test::compile_wat(guest(0)));
    auto reply = loaded.host->call("x", {});
    REQUIRE(reply.ok());
    CHECK(text_of(*reply) == "alive");
    auto created = guest_launch::create_engine(engine);
    auto failed = wapc::Host::load(**created, test::compile_wat(guest(3)), "exit.wasm", {});
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().message == "exit.wasm: initialization failed: guest exited with code 3");
  }
}

TEST_CASE("the deadline covers host calls: a handler command that overruns it is killed and the call fails") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    wapc::Options options;
    options.limits.timeout = std::chrono::milliseconds(300);
    options.host_call = process_host_handler::make("sleep 8");
    auto guest = load_guest(engine, example("hostcall"), options);
    const auto started = std::chrono::steady_clock::now();
    auto reply = guest.host->call("call", as_bytes("x"));
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().limit == limits::LimitKind::Deadline);
    CHECK(reply.error().message == "guest code interrupted, execution deadline exceeded");
    CHECK(took < std::chrono::seconds(3));
  }
}

namespace {
// A guest that sleeps through WASI poll_oneoff on one clock subscription (as Rust's
// std::thread::sleep does): the payload is the 8-byte timeout, flags 1 = absolute.
std::string sleeping_guest(int flags) {
  return R"((module
    (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get" (func $now (param i32 i64 i32) (result i32)))
    (import "wapc" "__guest_request" (func $req (param i32 i32)))
    (import "wapc" "__guest_response" (func $resp (param i32 i32)))
    (memory (export "memory") 1)
    (func (export "__guest_call") (param i32 i32) (result i32)
      (call $req (i32.const 0) (i32.const 512))
      (i64.store (i32.const 8) (i64.const 77))          ;; userdata
      (i32.store8 (i32.const 16) (i32.const 0))          ;; clock subscription
      (i32.store (i32.const 24) (i32.const 1))           ;; monotonic
      (i64.store (i32.const 32) (i64.load (i32.const 512)))
      )" +
         std::string(flags ? R"((drop (call $now (i32.const 1) (i64.const 0) (i32.const 600)))
      (i64.store (i32.const 32) (i64.add (i64.load (i32.const 600)) (i64.load (i32.const 512)))))"
                           : "") +
         R"(
      (i32.store16 (i32.const 48) (i32.const )" +
         std::to_string(flags) + R"())
      (i32.store (i32.const 200) (call $poll (i32.const 8) (i32.const 100) (i32.const 1) (i32.const 204)))
      (call $resp (i32.const 100) (i32.const 112))        ;; event: userdata, error, type; then errno, nevents
      (i32.const 1))))";
}

Bytes nanoseconds(uint64_t value) {
  Bytes bytes(8);
  std::memcpy(bytes.data(), &value, 8);
  return bytes;
}
}  // namespace

TEST_CASE(
    "WASI poll_oneoff: a relative or absolute clock sleep ends on time; one past the deadline ends the call then") {
  for (const auto& engine : test::engines_under_test()) {
    for (int flags : {0, 1}) {
      CAPTURE(engine);
      CAPTURE(flags);
      wapc::Options options;
      options.limits.timeout = std::chrono::milliseconds(2000);
      auto guest = load_guest(engine, test::compile_wat(sleeping_guest(flags)), options);
      const auto started = std::chrono::steady_clock::now();
      auto reply = guest.host->call("sleep", nanoseconds(60'000'000));  // 60 ms
      const auto took = std::chrono::steady_clock::now() - started;
      REQUIRE_MESSAGE(reply.ok(), reply.error().message);
      CHECK(took >= std::chrono::milliseconds(55));
      CHECK(took < std::chrono::milliseconds(1000));
      uint64_t userdata;
      std::memcpy(&userdata, reply->data(), 8);
      CHECK(userdata == 77);
      CHECK((*reply)[10] == 0);  // event type: clock
      uint32_t errno_value, events;
      std::memcpy(&errno_value, reply->data() + 100, 4);
      std::memcpy(&events, reply->data() + 104, 4);
      CHECK(errno_value == 0);
      CHECK(events == 1);

      options.limits.timeout = std::chrono::milliseconds(200);
      auto bounded = load_guest(engine, test::compile_wat(sleeping_guest(flags)), options);
      const auto long_started = std::chrono::steady_clock::now();
      auto cut = bounded.host->call("sleep", nanoseconds(10'000'000'000));  // 10 s
      const auto long_took = std::chrono::steady_clock::now() - long_started;
      REQUIRE_FALSE(cut.ok());
      CHECK(cut.error().limit == limits::LimitKind::Deadline);
      CHECK(long_took >= std::chrono::milliseconds(190));
      CHECK(long_took < std::chrono::milliseconds(1500));
    }
  }
}

TEST_CASE("bulk memory is charged by size: a loop of 256 MiB fills stops near its 300 ms deadline") {
  const char* guest = R"((module (memory (export "memory") 4096)
    (func (export "__guest_call") (param i32 i32) (result i32)
      (loop $l (memory.fill (i32.const 0) (i32.const 7) (i32.const 268435456)) (br $l))
      (i32.const 1))))";
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    wapc::Options options;
    options.limits.timeout = std::chrono::milliseconds(300);
    auto loaded = load_guest(engine, test::compile_wat(guest), options);
    const auto started = std::chrono::steady_clock::now();
    auto reply = loaded.host->call("fill", {});
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().limit == limits::LimitKind::Deadline);
    // Uncharged, each fill counted as one instruction: 19-21 s. The bound leaves room for a busy
    // machine (3.2 s once, beside two builds at nice 19), not for that.
    CHECK(took < std::chrono::seconds(10));
  }
}
