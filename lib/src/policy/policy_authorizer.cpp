#include "wascc/policy/policy_authorizer.h"

#include "wascc/policy/policy_input.h"
#include "wascc/policy/policy_verification.h"
#include "wascc/base/unix_time.h"

namespace wascc::policy_authorizer {

Result<std::shared_ptr<PolicyAuthorizer>> PolicyAuthorizer::open(policy_gate::Setup setup) {
  auto authorizer = std::shared_ptr<PolicyAuthorizer>(new PolicyAuthorizer(std::move(setup)));
  if (auto loaded = authorizer->reload(); !loaded) return loaded.error();
  return authorizer;
}

Status PolicyAuthorizer::reload() {
  auto gate = policy_gate::Gate::open(setup_);
  if (!gate) return gate.error();
  std::lock_guard lock(mutex_);
  gate_ = std::move(gate.value());
  cache_.clear();
  return ok_status();
}

size_t PolicyAuthorizer::cache_size() {
  std::lock_guard lock(mutex_);
  return cache_.size();
}

void PolicyAuthorizer::clear_cache() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

uint64_t PolicyAuthorizer::now_seconds() const {
  if (setup_.now_ns) return static_cast<uint64_t>(*setup_.now_ns / 1'000'000'000);
  return unix_time::now();
}

Status PolicyAuthorizer::can_load(const module_verification::Report& report, ByteView wasm, const std::string& name) {
  std::lock_guard lock(mutex_);
  auto load = policy_verification::decide_load(*gate_, report, name, wasm, now_seconds());
  if (!load) return invalid_error("policy " + setup_.path + " could not decide: " + load.error().message);
  if (!load->decision.allowed) return invalid_error("policy " + setup_.path + " denied it: " + load->decision.message);
  return ok_status();
}

Status PolicyAuthorizer::can_invoke(const std::string& caller, const claims::ModuleClaims& caller_claims,
                                    const actor_authorization::Target& target, std::string_view operation,
                                    const std::optional<claims::ModuleClaims>& target_claims) {
  const std::string denied_prefix = "Policy denied " + target.id + "/" + std::string(operation) + ": ";
  const bool to_actor = target_claims.has_value();
  const std::string key = caller + "|" + target.id + "|" + target.binding + "|" + std::string(operation) + "|" +
                          (to_actor ? target_claims->subject : "");
  const uint64_t now = now_seconds();
  std::lock_guard lock(mutex_);
  if (auto cached = cache_.find(key); cached != cache_.end()) {
    if (!cached->second.expires || now < *cached->second.expires) {
      if (cached->second.decision.allowed) return ok_status();
      return invalid_error(denied_prefix + cached->second.decision.message);
    }
    cache_.erase(cached);
  }
  policy_input::Invocation invocation{caller,         caller_claims,
                                      target.id,      std::string(operation),
                                      target.binding, to_actor ? std::optional(target_claims->subject) : std::nullopt,
                                      target_claims};
  auto decision = gate_->decide(policy_input::perform_invocation(invocation, now));
  if (!decision) return invalid_error(denied_prefix + "policy error: " + decision.error().message);  // not cached
  cache_[key] = {*decision, caller_claims.expires};
  if (!decision->allowed) return invalid_error(denied_prefix + decision->message);
  return ok_status();
}

}  // namespace wascc::policy_authorizer
