#include "wascc/policy/policy_verification.h"

#include "wascc/policy/policy_input.h"

namespace wascc::policy_verification {

Result<LoadDecision> decide_load(policy_gate::Gate& gate, const module_verification::Report& report,
                                 const std::string& name, ByteView wasm, uint64_t now) {
  auto result = gate.evaluate(policy_input::start_component(report, name, wasm, now));
  if (!result) return result.error();
  auto decision = opa::decide(*result);
  if (!decision) return decision.error();
  return LoadDecision{std::move(decision.value()), std::move(result.value())};
}

Result<module_verification::Report> verify_module(ByteView wasm, const module_verification::Policy& policy,
                                                  policy_gate::Gate* gate, const std::string& name,
                                                  jwt::Json* policy_result) {
  auto report = module_verification::verify_module(wasm, policy);
  if (!report || gate == nullptr) return report;
  auto load = decide_load(*gate, *report, name, wasm, policy.now);
  if (!load) return input_error("could not evaluate policy " + gate->name() + ": " + load.error().message);
  if (policy_result != nullptr) *policy_result = load->result;
  const bool allowed = load->decision.allowed;
  report->checks.push_back(
      {"policy", allowed ? module_verification::CheckStatus::Passed : module_verification::CheckStatus::Failed,
       allowed ? "allowed by " + gate->name() : gate->name() + ": " + load->decision.message});
  return report;
}

}  // namespace wascc::policy_verification
