// `wascc run --policy`: an OPA policy as the actor host's Authorizer. At load it sees the
// startComponent document; on every host call the claims allow, performInvocation (a deny is
// the guest's host error "Policy denied <contract>/<operation>: <message>"). Per-call decisions
// are cached by (origin, interface, link, function, target), never past the origin's expiry,
// and dropped when the policy is reloaded. Policy errors deny.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "wascc/actors/actor_host.h"
#include "wascc/policy/policy_gate.h"

namespace wascc::policy_authorizer {

class PolicyAuthorizer : public actor_host::Authorizer {
 public:
  static Result<std::shared_ptr<PolicyAuthorizer>> open(policy_gate::Setup setup);

  Status can_load(const module_verification::Report& report, ByteView wasm, const std::string& name) override;
  Status can_invoke(const std::string& caller, const claims::ModuleClaims& caller_claims,
                    const actor_authorization::Target& target, std::string_view operation,
                    const std::optional<claims::ModuleClaims>& target_claims) override;

  // Loads the policy (and data) again and drops the cache; the old policy stays on failure.
  Status reload();
  const std::string& path() const { return setup_.path; }
  size_t cache_size();
  void clear_cache();  // for measurements

 private:
  explicit PolicyAuthorizer(policy_gate::Setup setup) : setup_(std::move(setup)) {}
  uint64_t now_seconds() const;

  struct Cached {
    opa::Decision decision;
    std::optional<uint64_t> expires;  // the origin's exp
  };
  policy_gate::Setup setup_;
  std::mutex mutex_;  // a policy instance evaluates one input at a time
  std::unique_ptr<policy_gate::Gate> gate_;
  std::map<std::string, Cached> cache_;
};

}  // namespace wascc::policy_authorizer
