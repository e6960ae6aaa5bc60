// Each actor has a pool of instances: calls run in parallel up to max_instances, each instance
// serves one call at a time, a live update lets the calls in flight finish on the old module.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "actor_fixtures.h"

using namespace wascc;
using namespace wascc::test;
using namespace std::chrono_literals;

namespace {

// A key-value provider whose every call takes `delay` and that records how many calls it saw
// at once: the actor's calls in parallel.
struct SlowProvider : CapabilityProvider {
  explicit SlowProvider(std::chrono::milliseconds each_call) : delay(each_call) {}
  std::chrono::milliseconds delay;
  std::atomic<int> inside{0}, most_inside{0}, calls{0};
  std::string_view capability_id() const override { return "wascc:keyvalue"; }
  Status bind_actor(const std::string&, const BindingValues&) override { return ok_status(); }
  void remove_actor(const std::string&) override {}
  Result<Bytes> handle_call(const std::string&, std::string_view, ByteView) override {
    const int now = ++inside;
    for (int seen = most_inside; now > seen && !most_inside.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(delay);
    --inside;
    ++calls;
    return Bytes{'o', 'k'};
  }
  void stop() override {}
};

struct PoolSetup {
  std::shared_ptr<SlowProvider> provider;
  std::unique_ptr<actor_host::Host> host;
  std::string key;
};

PoolSetup pool_of(size_t max_instances, std::chrono::milliseconds delay, actor_host::Options options = interp_options(),
                  std::optional<nkeys::KeyPair> module = std::nullopt) {
  PoolSetup setup{std::make_shared<SlowProvider>(delay), nullptr, {}};
  options.max_instances = max_instances;
  setup.host = std::make_unique<actor_host::Host>(options);
  REQUIRE(setup.host->add_provider(setup.provider).ok());
  auto actor = sign_forwarder({"wascc:keyvalue"}, std::nullopt, module);
  auto key = setup.host->add_actor(actor.wasm, "pooled");
  REQUIRE_MESSAGE(key.ok(), key.error().message);
  setup.key = *key;
  REQUIRE(setup.host->bind(setup.key, "wascc:keyvalue", "default", {}).ok());
  return setup;
}

// Runs `count` calls of the actor at once; answers how many succeeded.
int call_in_parallel(PoolSetup& setup, int count) {
  std::atomic<int> succeeded{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < count; ++i) {
    callers.emplace_back([&] {
      if (forward(*setup.host, setup.key, "", "wascc:keyvalue", "Get", {}).ok()) ++succeeded;
    });
  }
  for (auto& caller : callers) caller.join();
  return succeeded;
}

}  // namespace

TEST_CASE("actor instance pool: calls run in parallel up to max_instances, never more") {
  for (size_t instances : {1u, 2u, 3u}) {
    CAPTURE(instances);
    auto setup = pool_of(instances, 100ms);
    CHECK(call_in_parallel(setup, 6) == 6);
    CHECK(setup.provider->most_inside == static_cast<int>(instances));
    CHECK(setup.provider->calls == 6);
  }
}

TEST_CASE("actor instance pool: a per-actor max_instances overrides the host's") {
  actor_host::Options options = interp_options();
  options.max_instances = 4;
  auto provider = std::make_shared<SlowProvider>(60ms);
  actor_host::Host host(options);
  REQUIRE(host.add_provider(provider).ok());
  auto actor = sign_forwarder({"wascc:keyvalue"});
  auto key = host.add_actor(actor.wasm, "one", {.max_instances = 1, .limits = std::nullopt});
  REQUIRE(key.ok());
  REQUIRE(host.bind(*key, "wascc:keyvalue", "default", {}).ok());
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) callers.emplace_back([&] { (void)forward(host, *key, "", "wascc:keyvalue", "Get", {}); });
  for (auto& caller : callers) caller.join();
  CHECK(provider->most_inside == 1);
}

TEST_CASE("actor instance pool: waiting for a busy instance counts against the call's timeout") {
  actor_host::Options options = interp_options();
  options.limits.timeout = 300ms;
  auto setup = pool_of(1, 700ms, options);
  std::thread holder([&] { (void)forward(*setup.host, setup.key, "", "wascc:keyvalue", "Get", {}); });
  while (setup.provider->inside == 0) std::this_thread::sleep_for(2ms);
  const auto asked = std::chrono::steady_clock::now();
  auto waiting = forward(*setup.host, setup.key, "", "wascc:keyvalue", "Get", {});
  const auto waited = std::chrono::steady_clock::now() - asked;
  holder.join();
  REQUIRE_FALSE(waiting.ok());
  CHECK(waiting.error().message == "every instance of the actor stayed busy for the call's timeout (300 ms)");
  CHECK(waited >= 290ms);
  CHECK(waited < 650ms);
}

TEST_CASE("actor instance pool: a live update under load loses no call; later calls run the new module") {
  auto module = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  auto setup = pool_of(2, 150ms, interp_options(), module);
  auto new_version = sign_forwarder({"wascc:keyvalue", "wascc:logging"}, std::nullopt, module);
  std::atomic<int> succeeded{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] {
      for (int round = 0; round < 3; ++round) {
        if (forward(*setup.host, setup.key, "", "wascc:keyvalue", "Get", {}).ok()) ++succeeded;
      }
    });
  }
  while (setup.provider->inside == 0) std::this_thread::sleep_for(2ms);
  REQUIRE(setup.host->replace_actor(setup.key, new_version.wasm, "v2").ok());
  for (auto& caller : callers) caller.join();
  CHECK(succeeded == 12);
  // While the old module's calls finish, the new one may already run its own max_instances.
  CHECK(setup.provider->most_inside <= 4);
  CHECK(setup.host->claims_of(setup.key)->capabilities->size() == 2);
}

TEST_CASE("actor instance pool: instances are made on demand and dropped after idling, down to one") {
  actor_host::Options options = interp_options();
  options.idle_instance_timeout = 100ms;
  auto setup = pool_of(3, 80ms, options);
  CHECK(setup.host->pool_size(setup.key)->instances == 1);  // made at load; more only when needed
  CHECK(call_in_parallel(setup, 3) == 3);
  auto busy = setup.host->pool_size(setup.key);
  CHECK(busy->instances == 3);
  CHECK(busy->idle == 3);
  for (int wait = 0; wait < 100 && setup.host->pool_size(setup.key)->instances > 1; ++wait)
    std::this_thread::sleep_for(10ms);
  auto settled = setup.host->pool_size(setup.key);
  CHECK(settled->instances == 1);
  CHECK(settled->idle == 1);
  CHECK(forward(*setup.host, setup.key, "", "wascc:keyvalue", "Get", {}).ok());  // the one kept still serves
  CHECK_FALSE(setup.host->pool_size("MNOSUCHACTOR").has_value());
}

TEST_CASE("actor host: a built-in provider refuses binding values it does not know; plugins take any") {
  struct Declared : CapabilityProvider {
    std::optional<std::vector<std::string_view>> keys;
    std::string_view capability_id() const override { return "wascc:keyvalue"; }
    Status bind_actor(const std::string&, const BindingValues&) override { return ok_status(); }
    void remove_actor(const std::string&) override {}
    Result<Bytes> handle_call(const std::string&, std::string_view, ByteView) override { return Bytes{}; }
    std::optional<std::vector<std::string_view>> binding_keys() const override { return keys; }
  };
  auto strict = std::make_shared<Declared>();
  strict->keys = std::vector<std::string_view>{"URL"};
  actor_host::Host host(interp_options());
  REQUIRE(host.add_provider(strict).ok());
  auto actor = sign_forwarder({"wascc:keyvalue"});
  auto key = host.add_actor(actor.wasm, "a");
  REQUIRE(key.ok());
  auto typo = host.bind(*key, "wascc:keyvalue", "default", {{"ULR", "redis://x"}});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message == "wascc:keyvalue: unknown binding value ULR (it takes URL)");
  CHECK(host.bind(*key, "wascc:keyvalue", "default", {{"URL", "redis://x"}}).ok());
  auto open = std::make_shared<Declared>();  // binding_keys() nullopt: a plugin's own keys
  REQUIRE(host.add_provider(open, "plugin").ok());
  CHECK(host.bind(*key, "wascc:keyvalue", "plugin", {{"ANYTHING", "1"}}).ok());
}
