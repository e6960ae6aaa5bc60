// wascap inspect IN: who signed a module, what it may do, and whether that still holds.
#include <iostream>
#include <memory>

#include "wascap/subcommands.h"
#include "common/environment.h"
#include "wascc/wascap/claims_report.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/base/unix_time.h"

namespace wascc::tools::wascap {
namespace {

struct InspectOptions {
  std::string input;
  bool json = false;
  bool jwt_only = false;
};

int run_inspect(const InspectOptions& options) {
  auto now = environment::now();
  if (!now) {
    print_error("wascap", now.error().message);
    return kExitUsage;
  }
  auto bytes = InputFile::open(options.input, {.magic = kWasmMagic});
  if (!bytes) {
    print_error("wascap", bytes.error().message);
    return kExitUsage;
  }
  auto layout = module::read_layout(bytes->bytes());
  if (!layout) {
    print_error("wascap", options.input, layout.error());
    return kExitUsage;
  }
  module_verification::Policy policy;
  policy.now = *now;
  auto report = module_verification::verify_module(bytes->bytes(), policy);
  if (!report) {
    print_error("wascap", options.input, report.error());
    return kExitUsage;
  }
  // Without readable claims there is nothing to show: the first failed check says why.
  if (!report->claims) {
    for (const auto& check : report->checks) {
      if (check.status == module_verification::CheckStatus::Failed) {
        print_error("wascap", options.input, invalid_error(check.message));
      }
    }
    return kExitFailure;
  }
  if (options.jwt_only) {
    std::cout << report->embedded->token << '\n';
  } else if (options.json) {
    print_json(report->token->payload);
  } else {
    std::cout << claims_report::claims_table(*report, layout->kind, *now);
  }
  return kExitSuccess;
}

}  // namespace

Subcommand setup_inspect(CLI::App* inspect) {
  auto options = std::make_shared<InspectOptions>();
  inspect->add_option("input", options->input, "Module (- for stdin)")->required();
  auto* json = inspect->add_flag("--json", options->json, "Print the claims object as JSON");
  inspect->add_flag("--jwt,--jwt-only", options->jwt_only, "Print only the raw token")->excludes(json);
  return {inspect, [options] { return run_inspect(*options); }};
}

}  // namespace wascc::tools::wascap
