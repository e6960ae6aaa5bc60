// The flags `wascc call` and `wascc run` share: bindings, issuer allow-list, revocations, engine.
#pragma once

#include <string>
#include <vector>

#include "common/limit_flags.h"
#include "common/log_output.h"
#include "common/tool_support.h"
#include "wascc/actors/actor_host.h"
#include "wascc/runner/binding_spec.h"
#include "wascc/policy/policy_authorizer.h"
#include "wascc/providers/provider_catalog.h"

namespace wascc::tools::wascc_cli {

struct HostFlags {
  std::vector<std::string> bindings;
  std::vector<std::string> allowed_issuers;
  std::vector<std::string> revoked;
  std::string revocations;             // a revocation list file
  bool insecure = false;               // http:// to a registry off loopback (oci:// actors)
  std::vector<std::string> providers;  // PATH.so[@BINDING] or exec:CMD[@BINDING]
  std::string engine = "auto";
  int provider_timeout_ms = 10000;
  size_t max_instances = 0;  // 0: one per core
  LimitFlags limits;
  LogFlags log;
  std::string policy, policy_data, policy_entrypoint;

  // The policy (when one is given) as the host's authorizer, on an engine suited to
  // `expected_calls`. Returns it so that --watch can reload it.
  Result<std::shared_ptr<policy_authorizer::PolicyAuthorizer>> attach_policy(actor_host::Options& options,
                                                                             uint64_t expected_calls) const;

  // `default_timeout`: per call (30s for run, 10s for call, as wapc). The tool applies the log
  // flags (log_output::configure) before it builds sinks or options.
  void add_to(CLI::App& command, const std::string& default_timeout);
  Result<actor_host::Options> host_options(uint64_t expected_calls) const;
  Result<std::vector<binding_spec::Binding>> parsed_bindings() const;
};

// Logging lines and provider notices go to stderr, one line each, prefixed "wascc: ".
provider_catalog::Sinks stderr_sinks();

}  // namespace wascc::tools::wascc_cli
