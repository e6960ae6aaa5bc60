// wascc policy eval POLICY --input I.json: one evaluation, the result set on stdout.
#include <iostream>
#include <memory>

#include "wascc/guest_launch.h"
#include "wascc/opa_policy.h"
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
};

Result<std::string> text_of_file(const std::string& path) {
  auto bytes = read_file_or_stdin(path);
  if (!bytes) return bytes.error();
  return std::string(bytes->begin(), bytes->end());
}

int run_policy_eval(const PolicyEvalOptions& options) {
  auto wasm = InputFile::open(options.policy);
  auto input = text_of_file(options.input);
  if (!wasm || !input) {
    print_error("wascc", !wasm ? wasm.error().message : input.error().message);
    return kExitUsage;
  }
  auto engine = guest_launch::create_engine(options.engine);
  if (!engine) {
    print_error("wascc", engine.error().message);
    return kExitUsage;
  }
  opa::Options policy_options;
  if (options.now_ns >= 0) policy_options.now_ns = options.now_ns;
  policy_options.print = [](const std::string& line) { std::cerr << "policy: " << line << '\n'; };
  auto policy = opa::Policy::load(**engine, wasm->bytes(), options.policy, policy_options);
  if (!policy) {
    print_error("wascc", policy.error().message);
    return kExitUsage;
  }
  if (!options.data.empty()) {
    auto data = text_of_file(options.data);
    auto set = data ? (*policy)->set_data(*data) : Status(data.error());
    if (!set) {
      print_error("wascc", set.error().message);
      return kExitUsage;
    }
  }
  auto result = (*policy)->evaluate(*input, options.entrypoint.empty() ? std::nullopt : std::optional(options.entrypoint));
  if (!result) {
    print_error("wascc", result.error().message);
    return result.error().kind == ErrorKind::Input ? kExitUsage : kExitFailure;
  }
  if (!options.decide) {
    std::cout << result->dump() << '\n';
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

Subcommand setup_policy(CLI::App& parent) {
  auto options = std::make_shared<PolicyEvalOptions>();
  auto* policy = parent.add_subcommand("policy", "OPA policies compiled to wasm");
  policy->require_subcommand(1);
  auto* eval = policy->add_subcommand("eval", "Evaluate a policy once; print its result set (or, with --decide, the decision)");
  eval->add_option("policy", options->policy, "The policy module (.wasm from opa build -t wasm)")->required();
  eval->add_option("--input", options->input, "Input document (JSON file; - for stdin)")->required();
  eval->add_option("--data", options->data, "Data document (JSON file)");
  eval->add_option("--entrypoint", options->entrypoint, "Entrypoint by name, e.g. wascc/allow (default: the first)");
  eval->add_option("--now", options->now_ns, "time.now_ns answers this (nanoseconds), for reproducible runs");
  eval->add_option("--engine", options->engine, "interp or aot")->check(CLI::IsMember({"interp", "aot"}));
  eval->add_flag("--decide", options->decide, "Print allow or deny: <reasons>; exit 1 on deny");
  return {eval, [options] { return run_policy_eval(*options); }};
}

}  // namespace wascc::tools::wascc_cli
