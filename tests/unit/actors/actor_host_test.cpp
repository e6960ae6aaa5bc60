#include <doctest/doctest.h>

#include "actor_fixtures.h"
#include "wascc/actors/actor_codec.h"
#include "wascc/actors/actor_host.h"
#include "wascc/providers/builtin_providers.h"
#include "wascc/providers/keyvalue_memory.h"
#include "wascc/wascap/module_signing.h"

using namespace wascc;
using namespace wascc::test;

namespace {

// A provider that records what it was bound with.
struct RecordingProvider : CapabilityProvider {
  BindingValues seen;
  std::string_view capability_id() const override { return "acme:recorder"; }
  Status bind_actor(const std::string&, const BindingValues& values) override {
    seen = values;
    return ok_status();
  }
  void remove_actor(const std::string&) override {}
  Result<Bytes> handle_call(const std::string&, std::string_view, ByteView payload) override {
    return Bytes(payload.begin(), payload.end());
  }
};

}  // namespace

TEST_CASE("actor host: bound, claimed capabilities are served; extras is bound automatically") {
  actor_host::Host host(interp_options());
  REQUIRE(host.add_provider(std::make_shared<keyvalue_memory::Provider>()));
  REQUIRE(host.add_provider(std::make_shared<builtin_providers::Extras>()));
  auto a = sign_forwarder({"wascc:keyvalue", "wascc:extras"});
  auto key = host.add_actor(a.wasm, "a.wasm");
  REQUIRE_MESSAGE(key.ok(), key.error().message);
  CHECK(*key == a.key);
  REQUIRE(host.bind(a.key, "wascc:keyvalue", "default", {}).ok());
  const auto& add = *actor_codec::find_schema("AddRequest");
  for (int expected = 1; expected <= 2; ++expected) {
    auto reply =
        forward(host, a.key, "", "wascc:keyvalue", "Add", *actor_codec::encode(add, {{"key", "hits"}, {"value", 1}}));
    REQUIRE_MESSAGE(reply.ok(), reply.error().message);
    CHECK((*actor_codec::decode(*actor_codec::find_schema("AddResponse"), *reply))["value"] == expected);
  }
  auto sequence = forward(host, a.key, "default", "wascc:extras", "RequestSequence",
                          *actor_codec::encode(*actor_codec::find_schema("GeneratorRequest"), {{"sequence", true}}));
  REQUIRE(sequence.ok());
  CHECK((*actor_codec::decode(*actor_codec::find_schema("GeneratorResult"), *sequence))["sequenceNumber"] == 0);
}

TEST_CASE("actor host: denials, unbound providers, bindings without claims") {
  actor_host::Host host(interp_options());
  REQUIRE(host.add_provider(std::make_shared<keyvalue_memory::Provider>()));
  auto a = sign_forwarder({"wascc:keyvalue"});
  auto c = sign_forwarder({});
  REQUIRE(host.add_actor(a.wasm, "a.wasm").ok());
  REQUIRE(host.add_actor(c.wasm, "c.wasm").ok());
  auto denied = forward(host, a.key, "", "wascc:messaging", "Publish", {});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().message == "Host error: WebAssembly module authorization failure: Actor " + a.key +
                                      " attempted to call Publish on wascc:messaging,default - PERMISSION DENIED.");
  auto unbound = forward(host, a.key, "other", "wascc:keyvalue", "Get", {});
  REQUIRE_FALSE(unbound.ok());
  CHECK(unbound.error().message ==
        "Host error: Attempted bus call for wasmbus.provider.wascc.keyvalue.other." + a.key +
            " with no subscribers (no provider of wascc:keyvalue@other is bound to this actor: "
            "add --bind wascc:keyvalue@other or a manifest binding)");
  auto binding = host.bind(c.key, "wascc:keyvalue", "default", {});
  REQUIRE_FALSE(binding.ok());
  CHECK(binding.error().message ==
        "Unauthorized binding: actor " + c.key + " is not authorized to use capability wascc:keyvalue.");
}

TEST_CASE("actor host: actor-to-actor by claimed key; cycles fail fast") {
  actor_host::Host host(interp_options());
  auto b = sign_forwarder({});
  auto a = sign_forwarder({b.key});
  REQUIRE(host.add_actor(b.wasm, "b.wasm").ok());
  REQUIRE(host.add_actor(a.wasm, "a.wasm").ok());
  auto reply = forward(host, a.key, "", b.key, "echo", as_bytes("ping"));
  REQUIRE_MESSAGE(reply.ok(), reply.error().message);
  CHECK(std::string(as_text(*reply)) == "ping");
  auto back = forward(host, b.key, "", a.key, "echo", {});
  REQUIRE_FALSE(back.ok());
  CHECK(back.error().message.find("PERMISSION DENIED") != std::string::npos);
  auto self = forward(host, a.key, "", a.key, "echo", {});  // its own key is always allowed...
  REQUIRE_FALSE(self.ok());
  CHECK(self.error().message ==
        "Host error: Invocation failure: call cycle: actor " + a.key + " is already handling a call");
}

TEST_CASE("actor host: refused actors are named with the reason; injected binding values") {
  actor_host::Host host(interp_options());
  auto expired = sign_forwarder({}, kNow - 5);
  auto refused = host.add_actor(expired.wasm, "old.wasm");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.rfind("old.wasm: actor refused: token expired", 0) == 0);
  auto a = sign_forwarder({"acme:recorder"});
  REQUIRE(host.add_actor(a.wasm, "a.wasm").ok());
  auto again = host.add_actor(a.wasm, "a-again.wasm");
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().message == "a-again.wasm: actor " + a.key + " is already in this host");
  auto recorder = std::make_shared<RecordingProvider>();
  REQUIRE(host.add_provider(recorder));
  REQUIRE(host.bind(a.key, "acme:recorder", "default", {{"PORT", "8080"}}).ok());
  CHECK(recorder->seen.at("PORT") == "8080");
  CHECK(recorder->seen.at("__wascc_issuer") == "ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2");
  CHECK(recorder->seen.at("__wascc_capabilities") == "acme:recorder");
  CHECK(recorder->seen.at("__wascc_name") == "forwarder");
  CHECK(recorder->seen.at("__wascc_expires") == "0");
  CHECK(recorder->seen.at("__wascc_tags") == "test");
}
