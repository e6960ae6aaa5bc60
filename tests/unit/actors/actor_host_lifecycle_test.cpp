#include <doctest/doctest.h>

#include "check_error.h"

#include "actor_fixtures.h"
#include "wascc/providers/keyvalue_memory.h"

using namespace wascc;
using namespace wascc::test;

namespace {

// Counts binds and removals per actor.
struct CountingProvider : CapabilityProvider {
  int bound = 0, removed = 0, stopped = 0;
  std::string_view capability_id() const override { return "wascc:keyvalue"; }
  Status bind_actor(const std::string&, const BindingValues&) override {
    ++bound;
    return ok_status();
  }
  void remove_actor(const std::string&) override { ++removed; }
  Result<Bytes> handle_call(const std::string&, std::string_view, ByteView) override { return Bytes{'o', 'k'}; }
  void stop() override { ++stopped; }
};

}  // namespace

TEST_CASE("actor host: a second provider for the same (capability, binding) is refused") {
  actor_host::Host host(interp_options());
  REQUIRE(host.add_provider(std::make_shared<keyvalue_memory::Provider>()).ok());
  auto again = host.add_provider(std::make_shared<keyvalue_memory::Provider>());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == "a provider of wascc:keyvalue with binding \"default\" is already in this host");
  CHECK(host.add_provider(std::make_shared<keyvalue_memory::Provider>(), "cache").ok());
}

TEST_CASE("actor host: removing an actor unbinds it; shutdown removes all and stops providers once") {
  auto provider = std::make_shared<CountingProvider>();
  {
    actor_host::Host host(interp_options());
    REQUIRE(host.add_provider(provider).ok());
    auto first = sign_forwarder({"wascc:keyvalue"});
    auto second = sign_forwarder({"wascc:keyvalue"});
    auto a = host.add_actor(first.wasm, "a");
    auto b = host.add_actor(second.wasm, "b");
    REQUIRE((a.ok() && b.ok()));
    REQUIRE(host.bind(*a, "wascc:keyvalue", "default", {}).ok());
    REQUIRE(host.bind(*b, "wascc:keyvalue", "default", {}).ok());
    REQUIRE(host.remove_actor(*a).ok());
    CHECK(provider->removed == 1);
    CHECK_ERROR(host.call_actor(*a, "echo", {}), "no actor " + *a + " in this host");
    CHECK_ERROR(host.remove_actor(*a), "no actor " + *a + " in this host");
    host.shutdown();
    CHECK(provider->removed == 2);
    CHECK(provider->stopped == 1);
    host.shutdown();  // idempotent; the destructor calls it again
  }
  CHECK(provider->stopped == 1);
}

TEST_CASE("actor host: links lists each binding with its own values until the actor goes") {
  actor_host::Host host(interp_options());
  REQUIRE(host.add_provider(std::make_shared<CountingProvider>()).ok());
  REQUIRE(host.add_provider(std::make_shared<CountingProvider>(), "cache").ok());
  auto actor = sign_forwarder({"wascc:keyvalue"});
  auto key = host.add_actor(actor.wasm, "a");
  REQUIRE(key.ok());
  REQUIRE(host.bind(*key, "wascc:keyvalue", "default", {{"URL", "redis://one"}}).ok());
  REQUIRE(host.bind(*key, "wascc:keyvalue", "cache", {}).ok());
  const std::vector<actor_host::LinkDefinition> expected{{*key, "wascc:keyvalue", "cache", {}},
                                                         {*key, "wascc:keyvalue", "default", {{"URL", "redis://one"}}}};
  CHECK(host.links() == expected);  // the __wascc_* values the provider got are not the link's
  REQUIRE(host.remove_actor(*key).ok());
  CHECK(host.links().empty());
}

TEST_CASE("actor host: revoked subjects and token ids are refused at load") {
  auto actor = sign_forwarder({});
  std::string jti;
  {
    actor_host::Host host(interp_options());
    auto key = host.add_actor(actor.wasm, "a.wasm");
    REQUIRE(key.ok());
    jti = host.claims_of(*key)->jti;
  }
  for (const std::string& revoked : {actor.key, jti}) {
    auto options = interp_options();
    options.revoked = {revoked};
    actor_host::Host host(options);
    auto refused = host.add_actor(actor.wasm, "a.wasm");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("is revoked") != std::string::npos);
  }
}

TEST_CASE("actor host: live update keeps the subject and the bindings, or leaves the old actor") {
  auto module = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  auto old_version = sign_forwarder({"wascc:keyvalue"}, std::nullopt, module);
  auto new_version = sign_forwarder({"wascc:keyvalue", "wascc:logging"}, std::nullopt, module);
  auto dropped_claim = sign_forwarder({"wascc:logging"}, std::nullopt, module);
  auto other_subject = sign_forwarder({"wascc:keyvalue"});
  actor_host::Host host(interp_options());
  REQUIRE(host.add_provider(std::make_shared<CountingProvider>()).ok());
  auto key = host.add_actor(old_version.wasm, "v1");
  REQUIRE(key.ok());
  REQUIRE(host.bind(*key, "wascc:keyvalue", "default", {}).ok());

  auto wrong = host.replace_actor(*key, other_subject.wasm, "v2");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("is not the running actor's") != std::string::npos);
  auto unclaimed = host.replace_actor(*key, dropped_claim.wasm, "v2");
  REQUIRE_FALSE(unclaimed.ok());
  CHECK(unclaimed.error().message == "v2: the new module no longer claims wascc:keyvalue, which it is bound to");
  CHECK_ERROR(host.replace_actor(*key, Bytes{0, 'a', 's', 'm'}, "v2"), "unexpected end of file in the wasm header");

  REQUIRE(host.replace_actor(*key, new_version.wasm, "v2").ok());
  CHECK(host.claims_of(*key)->capabilities->size() == 2);
  auto reply = forward(host, *key, "", "wascc:keyvalue", "Get", {});
  REQUIRE(reply.ok());
  CHECK(*reply == Bytes{'o', 'k'});  // still bound after the update
}

TEST_CASE("actor host: a call alias reaches its actor without a caps entry; aliases are unique") {
  actor_host::Host host(interp_options());
  auto callee = sign_forwarder({}, std::nullopt, std::nullopt, "acme/echo");
  auto caller = sign_forwarder({});
  auto callee_key = host.add_actor(callee.wasm, "callee");
  auto caller_key = host.add_actor(caller.wasm, "caller");
  REQUIRE((callee_key.ok() && caller_key.ok()));
  const std::string body = "hello";
  auto reply = forward(host, *caller_key, "", "acme/echo", "echo",
                       ByteView(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
  REQUIRE(reply.ok());
  CHECK(std::string(reply->begin(), reply->end()) == "hello");
  auto unknown = forward(host, *caller_key, "", "acme/nobody", "echo", {});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message.find("PERMISSION DENIED") != std::string::npos);
  auto twin = sign_forwarder({}, std::nullopt, std::nullopt, "acme/echo");
  auto refused = host.add_actor(twin.wasm, "twin");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "twin: call alias acme/echo is already taken by actor " + *callee_key);
}
