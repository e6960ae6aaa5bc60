// wascap verify FILE...: a deploy gate. Exit 0 only when every check of every file passes.
#include <iostream>
#include <memory>

#include "wascap/subcommands.h"
#include "wascc/claims_report.h"
#include "wascc/module_verification.h"
#include "wascc/nkeys.h"
#include "wascc/unix_time.h"

namespace wascc::tools::wascap {
namespace {

using module_verification::CheckStatus;

struct VerifyOptions {
  std::vector<std::string> inputs;
  std::vector<std::string> issuers;
  std::vector<std::string> required_caps;
  bool strict = false;
  bool json = false;
};

void print_text_verdict(const std::string& file, const module_verification::Report& report) {
  for (const auto& check : report.checks) {
    if (check.status == CheckStatus::Passed) continue;
    std::cerr << file << ": " << (check.status == CheckStatus::Failed ? "error" : "warning")
              << ": " << check.name << ": " << check.message << '\n';
  }
  if (report.valid()) {
    std::cout << file << ": valid: module " << report.claims->subject << " signed by "
              << report.claims->issuer << '\n';
  }
}

int run_verify(const VerifyOptions& options) {
  auto now = unix_time::now();
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
  module_verification::Policy policy{options.issuers, options.required_caps, options.strict, *now};
  int worst = kExitSuccess;
  jwt::Json verdicts = jwt::Json::array();
  for (const auto& input : options.inputs) {
    auto bytes = InputFile::open(input);
    auto report = bytes ? module_verification::verify_module(bytes->bytes(), policy)
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
    } else {
      print_text_verdict(input == "-" ? "<stdin>" : input, *report);
    }
  }
  if (options.json) print_json({{"valid", worst == kExitSuccess}, {"modules", verdicts}});
  return worst;
}

}  // namespace

Subcommand setup_verify(CLI::App& parent) {
  auto options = std::make_shared<VerifyOptions>();
  auto* verify = parent.add_subcommand(
      "verify",
      "Check signed modules: claims present, signature, module hash, expiry, not-before,\n"
      "issuer is an account key, subject a module (or service) key. Every failed check is\n"
      "reported. Exit 0 valid, 1 invalid, 2 usage or input error.");
  verify->add_option("inputs", options->inputs, "Modules (- for stdin)")->required();
  add_repeatable_option(*verify, "--issuer", options->issuers, "Allowed issuer public key (repeatable)");
  add_repeatable_option(*verify, "--require-cap", options->required_caps,
                     "Capability the claims must grant (repeatable)");
  verify->add_flag("--strict", options->strict,
                   "Fail (not warn) when a legacy token's hash cannot be verified");
  verify->add_flag("--json", options->json, "Print a machine-readable verdict");
  return {verify, [options] { return run_verify(*options); }};
}

}  // namespace wascc::tools::wascap
