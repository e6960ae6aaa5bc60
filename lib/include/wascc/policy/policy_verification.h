// The policy check on a module, once for `wascap verify --policy` and the runner's load
// (`wascc run --policy`): the policy sees the startComponent document (policy_input.h) built
// from the module's verification report, and its decision is one more check of that report.
#pragma once

#include <string>

#include "wascc/policy/policy_gate.h"
#include "wascc/wascap/module_verification.h"

namespace wascc::policy_verification {

struct LoadDecision {
  opa::Decision decision;
  jwt::Json result;  // the raw result set, for reports
};

// The policy's decision on loading the module `name` whose verification gave `report`. An
// error (the policy aborted, trapped or answered no decision) never allows.
[[nodiscard]] Result<LoadDecision> decide_load(policy_gate::Gate& gate, const module_verification::Report& report,
                                               const std::string& name, ByteView wasm, uint64_t now);

// module_verification::verify_module, then, with a gate, the policy's decision as the check
// "policy" (a deny fails it). A policy that cannot decide is an input error naming it. With
// `policy_result`, the raw result set is stored there.
[[nodiscard]] Result<module_verification::Report> verify_module(ByteView wasm,
                                                                const module_verification::Policy& policy,
                                                                policy_gate::Gate* gate, const std::string& name,
                                                                jwt::Json* policy_result = nullptr);

}  // namespace wascc::policy_verification
