// wascc policy eval POLICY --input I.json: one evaluation, the result set on stdout.
#include <iostream>
#include <memory>

#include "common/limit_flags.h"
#include "wascc/policy/policy_gate.h"
#include "wascc_cli/subcommands.h"

namespace wascc::tools::wascc_cli {
namespace {

struct PolicyEvalOptions {
  std::string policy;
  std::string input;
  std::string data;
  std::string entrypoint;
  std::string engine = "interp";
  int64_t now_ns = -1;
  bool decide = false;
  std::string format = "json";
  LimitFlags limits;
};

Result<std::string> text_of_file(const std::string& path) {
  auto bytes = read_file_or_stdin(path);
  if (!bytes) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

int run_policy_eval(const PolicyEvalOptions& options) {
  auto input_text = text_of_file(options.input);
  if (!input_text) {
    print_error("wascc", input_text.error().message);
    return kExitUsage;
  }
  auto input = json::parse(*input_text);
  if (!input) {
    print_error("wascc", options.input + ": the input is not JSON: " + input.error().message);
    return kExitUsage;
  }
  policy_gate::Setup setup;
  setup.path = options.policy;
  setup.data_path = options.data;
  setup.entrypoint = options.entrypoint;
  setup.engine = options.engine;
  auto limits = options.limits.apply(setup.limits);
  if (!limits) {
    print_error("wascc", limits.error().message);
    return kExitUsage;
  }
  setup.limits = *limits;
  if (options.now_ns >= 0) setup.now_ns = options.now_ns;
  setup.print = [](const std::string& line) { std::cerr << "policy: " << line << '\n'; };
  auto gate = policy_gate::Gate::open(setup);
  if (!gate) {
    print_error("wascc", gate.error().message);
    return kExitUsage;
  }
  auto result = (*gate)->evaluate(*input);
  if (!result) {
    print_error("wascc", result.error().message);
    return result.error().kind == ErrorKind::Input ? kExitUsage : kExitFailure;
  }
  if (!options.decide) {
    // opa eval's --format: json (here: one line), pretty, or raw (the first value alone).
    if (options.format == "raw") {
      const bool has_value = result->is_array() && !result->empty() && (*result)[0].contains("result");
      if (!has_value) return kExitSuccess;  // undefined: nothing, as opa eval -f raw
      const auto& value = (*result)[0]["result"];
      std::cout << (value.is_string() ? value.get<std::string>() : json::dump(value)) << '\n';
    } else {
      std::cout << json::dump(*result, options.format == "pretty" ? 2 : -1) << '\n';
    }
    return kExitSuccess;
  }
  auto decision = opa::decide(*result);
  if (!decision) {
    print_error("wascc", options.policy + ": " + decision.error().message);
    return kExitFailure;
  }
  std::cout << (decision->allowed ? "allow" : "deny: " + decision->message) << '\n';
  return decision->allowed ? kExitSuccess : kExitFailure;
}

}  // namespace

Subcommand setup_policy(CLI::App* policy) {
  auto options = std::make_shared<PolicyEvalOptions>();
  policy->require_subcommand(1);
  auto* eval =
      policy->add_subcommand("eval", "Evaluate a policy once; print its result set (or, with --decide, the decision)");
  eval->add_option("policy", options->policy,
                   "The policy: a module (.wasm) or an OPA bundle (.tar.gz from opa build -t wasm)")
      ->required();
  eval->add_option("-i,--input", options->input, "Input document (JSON file; - for stdin)")->required();
  eval->add_option("-d,--data", options->data, "Data document (JSON file)");
  eval->add_option("-f,--format", options->format, "json (one line), pretty, or raw (the result's value alone)")
      ->check(CLI::IsMember({"json", "pretty", "raw"}));
  add_limit_flags(*eval, options->limits, "10s");
  eval->add_option("--entrypoint", options->entrypoint, "Entrypoint by name, e.g. wascc/allow (default: the first)");
  eval->add_option("--now", options->now_ns, "time.now_ns answers this (nanoseconds), for reproducible runs");
  eval->add_option("--engine", options->engine, "interp or aot")->check(CLI::IsMember({"interp", "aot"}));
  eval->add_flag("--decide", options->decide, "Print allow or deny: <reasons>; exit 1 on deny");
  return {eval, [options] { return run_policy_eval(*options); }};
}

}  // namespace wascc::tools::wascc_cli
