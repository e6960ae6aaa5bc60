// Signed test actors for the actor host and runner tests.
#pragma once

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "guest_fixtures.h"
#include "wascc/actors/actor_host.h"
#include "wascc/wascap/module_signing.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::test {

inline constexpr uint64_t kNow = 1'800'000'000;

struct SignedActor {
  Bytes wasm;
  std::string key;
};

// The forwarder test actor (share/examples/c/forwarder.c) signed with `caps`; a fresh module
// key unless one is given, so that each call makes another actor.
inline SignedActor sign_forwarder(std::vector<std::string> caps, std::optional<uint64_t> expires = std::nullopt,
                                  std::optional<nkeys::KeyPair> module_key = std::nullopt,
                                  std::optional<std::string> call_alias = std::nullopt) {
  static const Bytes forwarder = test::example("forwarder");
  auto account = nkeys::KeyPair::from_seed("SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  auto module = module_key ? *module_key : nkeys::KeyPair::generate(nkeys::KeyType::Module);
  module_signing::SignOptions options;
  options.name = "forwarder";
  options.issued_at = kNow - 10;
  options.capabilities = std::move(caps);
  options.tags = {"test"};
  options.expires = expires;
  options.call_alias = std::move(call_alias);
  auto signed_module = module_signing::sign_module(forwarder, *account, module, options);
  REQUIRE(signed_module.ok());
  return {signed_module->bytes(), module.public_key_text()};
}

inline actor_host::Options interp_options() {
  actor_host::Options options;
  options.engine = "interp";
  options.now = kNow;
  return options;
}

inline Result<Bytes, wapc::CallFailure> forward(actor_host::Host& host, const std::string& actor,
                                                const std::string& binding, const std::string& ns,
                                                const std::string& operation, ByteView body) {
  std::string payload = binding + "|" + ns + "|" + operation + "|";
  Bytes bytes(payload.begin(), payload.end());
  bytes.insert(bytes.end(), body.begin(), body.end());
  return host.call_actor(actor, "call", bytes);
}

}  // namespace wascc::test
