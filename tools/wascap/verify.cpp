// wascap verify FILE...: a deploy gate. Exit 0 only when every check of every file passes.
#include <iostream>
#include <memory>

#include "wascap/subcommands.h"
#include "common/environment.h"
#include "wascc/wascap/claims_report.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/wascap/nkeys.h"
#include "wascc/wascap/revocation_list.h"
#include "wascc/policy/policy_gate.h"
#include "wascc/policy/policy_verification.h"
#include "wascc/base/unix_time.h"

namespace wascc::tools::wascap {
namespace {

using module_verification::CheckStatus;

struct VerifyOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> issuers;
  std::vector<std::string> required_caps;
  bool strict = false;
  bool json = false;
  std::string policy;
  std::string policy_data;
  std::string policy_entrypoint;
  int64_t now = -1;
  std::string revocations;
};

void print_text_verdict(const std::string& file, const module_verification::Report& report) {
  for (const auto& check : report.checks) {
    if (check.status == CheckStatus::Passed) continue;
    std::cerr << file << ": " << (check.status == CheckStatus::Failed ? "error" : "warning") << ": " << check.name
              << ": " << check.message << '\n';
  }
  if (report.valid()) {
    std::cout << file << ": valid: module " << report.claims->subject << " signed by " << report.claims->issuer << '\n';
  }
}

int run_verify(const VerifyOptions& options) {
  auto now = environment::now();
  if (!now) {
    print_error("wascap", now.error().message);
    return kExitUsage;
  }
  for (const auto& issuer : options.issuers) {
    if (auto key = nkeys::decode_public_key(issuer); !key) {
      print_error("wascap", "--issuer " + issuer + ": " + key.error().message);
      return kExitUsage;
    }
  }
  const uint64_t at = options.now >= 0 ? static_cast<uint64_t>(options.now) : *now;
  module_verification::Policy policy{options.issuers, options.required_caps, {}, options.strict, at};
  if (!options.revocations.empty()) {
    auto revoked = revocation_list::read(options.revocations);
    if (!revoked) {
      print_error("wascap", "--revocations: " + revoked.error().message);
      return kExitUsage;
    }
    policy.revoked = std::move(revoked.value());
  }
  std::unique_ptr<policy_gate::Gate> gate;
  if (!options.policy.empty()) {
    policy_gate::Setup setup;
    setup.path = options.policy;
    setup.data_path = options.policy_data;
    setup.entrypoint = options.policy_entrypoint;
    if (options.now >= 0) setup.now_ns = options.now * 1'000'000'000LL;
    setup.print = [](const std::string& line) { std::cerr << "policy: " << line << '\n'; };
    auto opened = policy_gate::Gate::open(setup);
    if (!opened) {
      print_error("wascap", opened.error().message);
      return kExitUsage;
    }
    gate = std::move(opened.value());
  }
  int worst = kExitSuccess;
  jwt::Json verdicts = jwt::Json::array();
  for (const auto& input : options.inputs) {
    auto bytes = InputFile::open(input, {.magic = kWasmMagic});
    jwt::Json policy_result;
    auto report = bytes ? policy_verification::verify_module(bytes->bytes(), policy, gate.get(), input, &policy_result)
                        : Result<module_verification::Report>(bytes.error());
    if (!report) {
      print_error("wascap", bytes ? input : "", report.error());
      worst = kExitUsage;
      if (options.json) verdicts.push_back({{"file", input}, {"valid", false}, {"error", report.error().message}});
      continue;
    }
    if (!report->valid() && worst == kExitSuccess) worst = kExitFailure;
    if (options.json) {
      verdicts.push_back(claims_report::verdict_json(input, *report));
      if (gate) verdicts.back()["policy_result"] = policy_result;
    } else {
      print_text_verdict(input == "-" ? "<stdin>" : input, *report);
    }
  }
  if (options.json) print_json({{"valid", worst == kExitSuccess}, {"modules", verdicts}});
  return worst;
}

}  // namespace

Subcommand setup_verify(CLI::App* verify) {
  auto options = std::make_shared<VerifyOptions>();
  verify->add_option("inputs", options->inputs, "Modules (- for stdin)")->required();
  add_repeatable_option(*verify, "--issuer,--allow-issuer", options->issuers, "Allowed issuer public key (repeatable)");
  add_repeatable_option(*verify, "--require-cap", options->required_caps,
                        "Capability the claims must grant (repeatable)");
  verify->add_flag("--strict", options->strict, "Fail (not warn) when a legacy token's hash cannot be verified");
  verify->add_flag("--json", options->json, "Print a machine-readable verdict");
  verify->add_option("--revocations", options->revocations,
                     "Refuse modules whose subject or token id is listed in FILE (one per line, # comments; or JSON)");
  verify->add_option("--policy", options->policy,
                     "An OPA policy (.wasm, or a bundle .tar.gz) that must allow each module");
  verify->add_option("--policy-data", options->policy_data, "The policy's data document (JSON file)");
  verify->add_option("--policy-entrypoint", options->policy_entrypoint, "The policy's entrypoint, e.g. wascc/allow");
  verify->add_option("--now", options->now, "Verify as of this UNIX time (also the policy's time.now_ns)");
  return {verify, [options] { return run_verify(*options); }};
}

}  // namespace wascc::tools::wascap
