// A policy as the actor host's authorizer: loads, per-call decisions, the cache, reloads.
#include <doctest/doctest.h>

#include "check_error.h"

#include <filesystem>

#include "actor_fixtures.h"
#include "wascc/providers/keyvalue_memory.h"
#include "wascc/policy/policy_authorizer.h"

using namespace wascc;
using namespace wascc::test;

namespace {

std::string policy_path(const std::string& variant) {
  return std::string(WASCC_TEST_POLICIES_DIR) + "/policy_" + variant + ".wasm";
}

Bytes kv_payload(const std::string& operation) {
  const std::string text = "default|wascc:keyvalue|" + operation + "|\x81\xa3key\xa1k";
  return Bytes(text.begin(), text.end());
}

}  // namespace

TEST_CASE("policy authorizer: loads and calls decided by the policy, decisions cached, reload drops them") {
  const auto scratch = std::filesystem::temp_directory_path() / ("wascc-policy-" + std::to_string(::getpid()));
  std::filesystem::create_directories(scratch);
  const auto live = scratch / "policy.wasm";
  std::filesystem::copy_file(policy_path("v3"), live, std::filesystem::copy_options::overwrite_existing);
  policy_gate::Setup setup;
  setup.path = live.string();
  auto authorizer = policy_authorizer::PolicyAuthorizer::open(setup);
  REQUIRE(authorizer.ok());
  auto options = interp_options();
  options.authorizer = *authorizer;
  actor_host::Host host(options);
  REQUIRE(host.add_provider(std::make_shared<keyvalue_memory::Provider>()).ok());
  auto actor = sign_forwarder({"wascc:keyvalue"});
  auto key = host.add_actor(actor.wasm, "fwd");  // the test account is the one issuer allowed
  REQUIRE_MESSAGE(key.ok(), key.error().message);
  REQUIRE(host.bind(*key, "wascc:keyvalue", "default", {}).ok());

  CHECK(host.call_actor(*key, "call", kv_payload("Get")).ok());
  CHECK((*authorizer)->cache_size() == 1);
  CHECK(host.call_actor(*key, "call", kv_payload("Get")).ok());
  CHECK((*authorizer)->cache_size() == 1);  // the second call was answered from the cache
  auto denied = host.call_actor(*key, "call", kv_payload("Del"));
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().message == "Host error: Policy denied wascc:keyvalue/Del: Del is not allowed");
  CHECK((*authorizer)->cache_size() == 2);

  // A policy that fails to load leaves the old one in place; a good one replaces it and the cache.
  std::filesystem::copy_file(policy_path("needs_http"), live, std::filesystem::copy_options::overwrite_existing);
  CHECK_ERROR((*authorizer)->reload(),
              live.string() + ": the policy needs builtins this host does not implement: http.send");
  CHECK((*authorizer)->cache_size() == 2);
  std::filesystem::copy_file(policy_path("v1"), live, std::filesystem::copy_options::overwrite_existing);
  REQUIRE((*authorizer)->reload().ok());
  CHECK((*authorizer)->cache_size() == 0);
  CHECK(host.call_actor(*key, "call", kv_payload("Get")).ok());
  std::filesystem::remove_all(scratch);
}
