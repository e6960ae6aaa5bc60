// Native plugins and process providers, with the examples from share/ and misbehaving ones.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <thread>

#include "wascc/providers/plugin_provider.h"
#include "wascc/providers/process_provider.h"

using namespace wascc;

namespace {

const std::string kExamples = WASCC_EXAMPLES_DIR;
const std::string kRunnerTests = WASCC_TEST_RUNNER_DIR;

struct Deliveries {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> seen;  // "actor operation payload"
  ActorDispatcher dispatcher() {
    return [this](const std::string& actor, std::string_view operation,
                  ByteView payload) -> Result<Bytes, wapc::CallFailure> {
      std::lock_guard lock(mutex);
      seen.push_back(actor + " " + std::string(operation) + " " + std::string(payload.begin(), payload.end()));
      changed.notify_all();
      return Bytes{'o', 'k'};
    };
  }
  bool wait_for(size_t count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(5), [&] { return seen.size() >= count; });
  }
};

ByteView text(const std::string& value) {
  return ByteView(reinterpret_cast<const uint8_t*>(value.data()), value.size());
}
std::string text(const Bytes& value) { return std::string(value.begin(), value.end()); }

}  // namespace

TEST_CASE("plugin provider: the example clock plugin answers calls and delivers ticks") {
  auto clock = plugin_provider::load(kExamples + "/providers/libclock_plugin.so");
  REQUIRE(clock.ok());
  CHECK((*clock)->capability_id() == "examples:clock");
  Deliveries deliveries;
  (*clock)->set_dispatcher(deliveries.dispatcher());
  REQUIRE((*clock)->bind_actor("MACTOR", {{"INTERVAL_MS", "10"}}).ok());
  REQUIRE(deliveries.wait_for(2));
  {
    std::lock_guard lock(deliveries.mutex);
    CHECK(deliveries.seen[0] == "MACTOR Tick 1");
    CHECK(deliveries.seen[1] == "MACTOR Tick 2");
  }
  auto now = (*clock)->handle_call("MACTOR", "Now", {});
  REQUIRE(now.ok());
  CHECK(text(*now).size() >= 13);
  auto unknown = (*clock)->handle_call("MACTOR", "Later", {});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "examples:clock has no operation for actors to call but Now");
  auto bad = (*clock)->bind_actor("MOTHER", {{"INTERVAL_MS", "soon"}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("INTERVAL_MS must be a number of milliseconds") != std::string::npos);
  (*clock)->remove_actor("MACTOR");
  // A second load is a second instance (a second binding), independent of the first.
  auto second = plugin_provider::load(kExamples + "/providers/libclock_plugin.so");
  REQUIRE(second.ok());
  CHECK(second->get() != clock->get());
  (*clock)->stop();
  (*second)->stop();
}

TEST_CASE("plugin provider: what is not a plugin of this ABI is refused by name") {
  auto future = plugin_provider::load(WASCC_BAD_ABI_PLUGIN);
  REQUIRE_FALSE(future.ok());
  CHECK(future.error().message == std::string(WASCC_BAD_ABI_PLUGIN) + ": plugin ABI version 2, this host speaks 1");
  auto missing = plugin_provider::load(kExamples + "/providers/nothing.so");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("cannot load the plugin") != std::string::npos);
  auto foreign = plugin_provider::load("libz.so.1");
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().message.find("not a wascc provider plugin") != std::string::npos);
}

TEST_CASE("process provider: the example answers, binds, and dispatches to actors") {
  auto upper = process_provider::start("python3 " + kExamples + "/providers/upper.py", {});
  REQUIRE(upper.ok());
  CHECK((*upper)->capability_id() == "examples:upper");
  Deliveries deliveries;
  (*upper)->set_dispatcher(deliveries.dispatcher());
  REQUIRE((*upper)->bind_actor("MACTOR", {{"GREETING", "hi"}}).ok());
  auto reply = (*upper)->handle_call("MACTOR", "Upper", text(std::string("shout\n\x01", 7)));
  REQUIRE(reply.ok());
  CHECK(text(*reply) == std::string("SHOUT\n\x01", 7));
  REQUIRE(deliveries.wait_for(1));
  CHECK(deliveries.seen[0] == "MACTOR Heard hi");
  auto unknown = (*upper)->handle_call("MACTOR", "Lower", {});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "examples:upper has no operation Lower");
  (*upper)->stop();
}

TEST_CASE("process provider: crashes restart it (actors bound again), hangs time out, bad frames are survived") {
  std::vector<std::string> notices;
  std::mutex notices_mutex;
  process_provider::Options options;
  options.call_timeout = std::chrono::milliseconds(1500);
  options.max_frame_bytes = 1u << 20;
  options.notice = [&](const std::string& line) {
    std::lock_guard lock(notices_mutex);
    notices.push_back(line);
  };
  auto flaky = process_provider::start("python3 " + kRunnerTests + "/flaky_provider.py", options);
  REQUIRE(flaky.ok());
  CHECK((*flaky)->capability_id() == "tests:flaky");
  REQUIRE((*flaky)->bind_actor("MACTOR", {}).ok());
  CHECK(text(*(*flaky)->handle_call("MACTOR", "Echo", text("one"))) == "one");

  auto garbage = (*flaky)->handle_call("MACTOR", "Garbage", text("two"));
  REQUIRE(garbage.ok());
  CHECK(text(*garbage) == "two");

  auto crash = (*flaky)->handle_call("MACTOR", "Crash", {});
  REQUIRE_FALSE(crash.ok());
  CHECK(crash.error().message.find("exited during call") != std::string::npos);
  Result<Bytes> again = invalid_error("not yet");
  for (int i = 0; i < 100 && !again.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    again = (*flaky)->handle_call("MACTOR", "Echo", text("three"));
  }
  REQUIRE(again.ok());  // restarted, and MACTOR bound again (the provider refuses unbound actors)
  CHECK(text(*again) == "three");

  auto huge = (*flaky)->handle_call("MACTOR", "Huge", {});
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().message.find("exited during call") != std::string::npos);
  for (int i = 0; i < 100 && !(*flaky)->handle_call("MACTOR", "Echo", {}).ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto hang = (*flaky)->handle_call("MACTOR", "Hang", {});
  REQUIRE_FALSE(hang.ok());
  CHECK(hang.error().message.find("call timed out after 1500 ms") != std::string::npos);
  (*flaky)->stop();
  std::lock_guard lock(notices_mutex);
  std::string all;
  for (const auto& line : notices) all += line + "\n";
  CHECK(all.find("malformed frame (not a JSON object with an id): this is not json") != std::string::npos);
  CHECK(all.find("exited (status 3); restarting it") != std::string::npos);
  CHECK(all.find("a frame over 1048576 bytes; restarting it") != std::string::npos);
  CHECK(all.find(": bound MACTOR") != std::string::npos);  // its stderr, passed on
}

TEST_CASE("process provider: a command that does not speak the protocol is refused at start") {
  process_provider::Options options;
  options.call_timeout = std::chrono::milliseconds(500);
  auto silent = process_provider::start("cat >/dev/null", options);
  REQUIRE_FALSE(silent.ok());
  CHECK(silent.error().message == "provider 'cat >/dev/null': describe timed out after 500 ms");
  auto gone = process_provider::start("exit 0", options);
  REQUIRE_FALSE(gone.ok());
}
