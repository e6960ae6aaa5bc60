// Guests this project did not shape: C through share/include/wapc_guest.h, and
// AssemblyScript through the public @wapc/as-guest SDK (built from npm by a CTest fixture).
#include <doctest/doctest.h>

#include <cstdlib>

#include "guest_fixtures.h"

using namespace wascc;

namespace {

std::string text_of(const Bytes& bytes) { return std::string(as_text(bytes)); }

wapc::Options echoing_host(std::vector<std::string>* logs = nullptr) {
  wapc::Options options;
  options.host_call = [](const wapc::HostCall& call) -> Result<Bytes> {
    if (call.operation == "name") return Bytes{'W', 'o', 'r', 'l', 'd'};
    if (std::string(as_text(call.payload)) == "deny") return input_error("denied");
    return Bytes(call.payload.begin(), call.payload.end());
  };
  if (logs) options.log = [logs](wapc::LogSource, std::string_view text) { logs->emplace_back(text); };
  return options;
}

}  // namespace

TEST_CASE("a C guest built with the project's header") {
  for (const auto& engine : test::engines_under_test()) {
    CAPTURE(engine);
    std::vector<std::string> logs;
    auto guest = test::load_guest(engine, test::example("greeter"), echoing_host(&logs));
    CHECK(text_of(*guest.host->call("echo", as_bytes("hi"))) == "hi");
    CHECK(text_of(*guest.host->call("shout", as_bytes("quiet please"))) == "QUIET PLEASE");
    CHECK(text_of(*guest.host->call("greet", {})) == "Hello, World!");
    CHECK(guest.host->call("fail", {}).error().message == "failed on purpose");
    CHECK(guest.host->call("missing", {}).error().message == "Could not find function \"missing\"");
    CHECK(text_of(*guest.host->call("log", as_bytes("x"))) == "x");
    CHECK(logs == std::vector<std::string>{"log from C"});
  }
}

TEST_SUITE("as-guest") {
  TEST_CASE("an AssemblyScript guest built with @wapc/as-guest") {
    const char* path = std::getenv("WASCC_AS_GUEST");
    REQUIRE_MESSAGE(path != nullptr, "WASCC_AS_GUEST names the built AssemblyScript guest");
    auto wasm = read_file_or_stdin(path);
    REQUIRE_MESSAGE(wasm.ok(), wasm.error().message);
    for (const auto& engine : test::engines_under_test()) {
      CAPTURE(engine);
      std::vector<std::string> logs;
      auto guest = test::load_guest(engine, *wasm, echoing_host(&logs));
      CHECK(text_of(*guest.host->call("echo", as_bytes("hi"))) == "hi");
      CHECK(text_of(*guest.host->call("hostecho", as_bytes("round trip"))) == "round trip");
      CHECK(guest.host->call("hostecho", as_bytes("deny")).error().message == "denied");  // SDK 0.3.1: unprefixed
      CHECK(guest.host->call("fail", as_bytes("boom")).error().message == "failed: boom");
      auto aborted = guest.host->call("abort", as_bytes("short"));
      REQUIRE_FALSE(aborted.ok());
      CHECK(aborted.error().kind == wapc::FailureKind::Trap);
      CHECK(aborted.error().message ==
            "wasm trap: unreachable executed; guest error: payload was not 12345 bytes; assembly/index.ts (21,3)");
      CHECK(text_of(*guest.host->call("log", as_bytes("xyz"))) == "xyz");
      CHECK(logs == std::vector<std::string>{"log from AssemblyScript: xyz"});
      CHECK(guest.host->call("nope", {}).error().message == "Could not find function \"nope\"");
    }
  }
}
