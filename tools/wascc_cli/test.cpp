// wascc test FILE...: run scenario files, report each step, exit 0 only when all pass.
#include <iostream>
#include <memory>

#include "common/limit_flags.h"
#include "common/environment.h"
#include "wascc/testing/scenario.h"
#include "wascc/testing/scenario_runner.h"
#include "wascc/testing/test_report.h"
#include "wascc_cli/subcommands.h"

namespace wascc::tools::wascc_cli {
namespace {

struct TestOptions {
  std::vector<std::string> files;
  std::string junit;
  bool json = false;
  std::string engine = "auto";
  std::vector<std::string> allowed_issuers;
  std::vector<std::string> revoked;
  LimitFlags limits;
};

int run_test(const TestOptions& options) {
  if (options.json && options.junit == "-") {
    print_error("wascc", "--json and --junit - both want stdout: give --junit a file");
    return kExitUsage;
  }
  if (auto issuers = check_issuer_keys(options.allowed_issuers); !issuers) {
    print_error("wascc", issuers.error().message);
    return kExitUsage;
  }
  auto limits = options.limits.apply({});
  if (!limits) {
    print_error("wascc", limits.error().message);
    return kExitUsage;
  }
  auto pinned = environment::pinned_now();
  if (!pinned) {
    print_error("wascc", pinned.error().message);
    return kExitUsage;
  }
  scenario_runner::Options run_options{options.engine, options.allowed_issuers, options.revoked, *limits, *pinned};
  std::vector<scenario_runner::ScenarioResult> results;
  for (const auto& file : options.files) {
    auto scenarios = scenario::load(file, environment::manifest_variables());
    if (!scenarios) {
      results.push_back(scenario_runner::unloadable(file, scenarios.error().message));
      continue;
    }
    for (const auto& each : *scenarios) results.push_back(scenario_runner::run(each, run_options));
  }
  if (options.json) {
    print_json(test_report::json(results));
  } else if (options.junit == "-") {
    std::cerr << test_report::text(results) << std::flush;  // stdout holds the report alone
  } else {
    std::cout << test_report::text(results) << std::flush;
  }
  if (!options.junit.empty()) {
    const std::string xml = test_report::junit_xml(results);
    if (auto written =
            write_file_atomically(options.junit, ByteView(reinterpret_cast<const uint8_t*>(xml.data()), xml.size()));
        !written) {
      print_error("wascc", written.error().message);
      return kExitUsage;
    }
  }
  return test_report::totals(results).failed == 0 ? kExitSuccess : kExitFailure;
}

}  // namespace

Subcommand setup_test(CLI::App* test) {
  auto options = std::make_shared<TestOptions>();
  test->add_option("files", options->files, "Scenario files (YAML .yaml/.yml, else JSON)")->required();
  test->add_option("--junit", options->junit,
                   "Also write a JUnit XML report to this file (- for stdout; the step lines then go to stderr)");
  test->add_flag("--json", options->json, "Print the report as JSON");
  test->add_option("--engine", options->engine, "interp, aot or auto")->check(CLI::IsMember({"interp", "aot", "auto"}));
  add_repeatable_option(*test, "--allow-issuer,--issuer", options->allowed_issuers,
                        "Accept only actors signed by KEY (repeatable)");
  add_repeatable_option(*test, "--revoke", options->revoked,
                        "Refuse actors with this subject or token id (repeatable)");
  add_limit_flags(*test, options->limits, "10s");
  return {test, [options] { return run_test(*options); }};
}

}  // namespace wascc::tools::wascc_cli
