// Tier-up (actor_host::Options::tier_up): with "auto" and no cached native code, an actor
// serves on the interpreter at once and moves to native code when its background compile is
// done; a host that goes meanwhile cancels the compile instead of waiting for it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "actor_fixtures.h"

using namespace wascc;
using namespace wascc::test;

namespace {

struct TierUpHost {
  std::string cache = (std::filesystem::temp_directory_path() /
                       ("wascc-tier-up-" + std::to_string(::getpid()) + "-" + std::to_string(++serial())))
                          .string();
  std::mutex notes_mutex;
  std::vector<std::string> notes;
  static int& serial() {
    static int value = 0;
    return value;
  }
  actor_host::Options options() {
    actor_host::Options options;
    options.engine = "auto";
    options.expected_calls = 1000;  // a long-running host: native code is wanted
    options.now = kNow;
    options.toolchain.cache_directory = cache;  // empty: nothing compiled yet
    options.notice = [this](const std::string& text) {
      std::lock_guard lock(notes_mutex);
      notes.push_back(text);
    };
    return options;
  }
  ~TierUpHost() { std::filesystem::remove_all(cache); }
};

}  // namespace

TEST_CASE("tier-up: an actor serves on the interpreter at once, then on native code") {
  TierUpHost fixture;
  actor_host::Host host(fixture.options());
  auto actor = sign_forwarder({});
  const auto started = std::chrono::steady_clock::now();
  auto key = host.add_actor(actor.wasm, "fwd.wasm");
  REQUIRE(key.ok());
  auto first = host.call_actor(*key, "echo", as_bytes("one"));
  const auto first_answer = std::chrono::steady_clock::now() - started;
  REQUIRE(first.ok());
  CHECK(as_text(*first) == "one");
  CHECK(host.engine_of(*key) == "interp");
  CHECK(first_answer < std::chrono::seconds(1));  // not after a compile (seconds)
  for (int i = 0; i < 600 && host.engine_of(*key) != "aot"; ++i) {
    CHECK(host.call_actor(*key, "echo", as_bytes("meanwhile")).ok());  // served throughout
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(host.engine_of(*key) == "aot");
  auto later = host.call_actor(*key, "echo", as_bytes("two"));
  REQUIRE(later.ok());
  CHECK(as_text(*later) == "two");
  std::lock_guard lock(fixture.notes_mutex);
  REQUIRE(fixture.notes.size() == 1);
  CHECK(fixture.notes[0].rfind("fwd.wasm: now on native code (compiled in ", 0) == 0);
}

TEST_CASE("tier-up: a host that goes during the compile cancels it and does not wait") {
  TierUpHost fixture;
  auto actor = sign_forwarder({});
  std::chrono::steady_clock::duration teardown{};
  auto host = std::make_unique<actor_host::Host>(fixture.options());
  REQUIRE(host->add_actor(actor.wasm, "fwd.wasm").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // the compiler is running
  const auto leaving = std::chrono::steady_clock::now();
  host.reset();
  teardown = std::chrono::steady_clock::now() - leaving;
  CHECK(teardown < std::chrono::milliseconds(500));
  CHECK(std::filesystem::is_empty(fixture.cache));  // the cancelled build left nothing behind
  std::lock_guard lock(fixture.notes_mutex);
  CHECK(fixture.notes.empty());
}

TEST_CASE("tier-up: off, or with native code cached, the actor starts on the engine it will keep") {
  TierUpHost fixture;
  auto actor = sign_forwarder({});
  auto options = fixture.options();
  options.tier_up = false;
  std::string key;
  {
    actor_host::Host host(options);  // waits for the compile
    auto added = host.add_actor(actor.wasm, "fwd.wasm");
    REQUIRE(added.ok());
    key = *added;
    CHECK(host.engine_of(key) == "aot");
  }
  actor_host::Host again(fixture.options());  // now cached: no interpreter step
  REQUIRE(again.add_actor(actor.wasm, "fwd.wasm").ok());
  CHECK(again.engine_of(key) == "aot");
  CHECK_FALSE(again.engine_of("MNOSUCHACTOR").has_value());
}
