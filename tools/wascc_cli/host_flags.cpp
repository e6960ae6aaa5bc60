#include "common/environment.h"
#include "wascc_cli/host_flags.h"

#include "common/log_output.h"

namespace wascc::tools::wascc_cli {
namespace {

void write_line(const std::string& line) { log_output::line(LogLevel::Info, "wascc", line); }

// wascc:logging's levels (waSCC's log crate names) as the tool's.
LogLevel level_of(const std::string& name) {
  if (name == "ERROR") return LogLevel::Error;
  if (name == "WARN") return LogLevel::Warn;
  if (name == "DEBUG" || name == "TRACE") return LogLevel::Debug;
  return LogLevel::Info;
}

}  // namespace

void HostFlags::add_to(CLI::App& command, const std::string& default_timeout) {
  add_repeatable_option(command, "--bind", bindings,
                        "CAPID[@BINDING][?KEY=VALUE&...] (repeatable), e.g. 'wascc:http_server?PORT=8080'");
  add_repeatable_option(command, "--allow-issuer,--issuer", allowed_issuers,
                        "Accept only actors signed by KEY (repeatable)");
  add_repeatable_option(command, "--revoke", revoked,
                        "Refuse actors with this subject (M...) or token id (repeatable)");
  command.add_option("--revocations", revocations,
                     "Refuse actors listed in FILE (subjects or token ids, one per line, # comments; or JSON);\n"
                     "run --watch reads it again when it changes and removes running actors it names");
  add_repeatable_option(command, "--provider", providers,
                        "A provider plugin PATH.so[@BINDING], or a process provider 'exec:CMD[@BINDING]' (repeatable)");
  command.add_option("--provider-timeout", provider_timeout_ms, "Milliseconds a process provider has per call (10000)")
      ->check(CLI::PositiveNumber);
  add_limit_flags(command, limits, default_timeout);
  command
      .add_option("--max-instances", max_instances,
                  "Instances per actor, each serving one call at a time (default: one per core)")
      ->check(CLI::Range(1, 4096));
  add_log_flags(command, log);
  command.add_flag("--insecure", insecure, "Pull oci:// actors over http:// from a registry that is not on loopback");
  command.add_option("--engine", engine, "interp, aot or auto")->check(CLI::IsMember({"interp", "aot", "auto"}));
  command.add_option("--policy", policy, "An OPA policy (.wasm or bundle .tar.gz) deciding actor loads and host calls");
  command.add_option("--policy-data", policy_data, "The policy's data document (JSON file)");
  command.add_option("--policy-entrypoint", policy_entrypoint, "The policy's entrypoint, e.g. wascc/allow");
}

Result<std::shared_ptr<policy_authorizer::PolicyAuthorizer>> HostFlags::attach_policy(actor_host::Options& options,
                                                                                      uint64_t expected_calls) const {
  if (policy.empty()) return std::shared_ptr<policy_authorizer::PolicyAuthorizer>();
  policy_gate::Setup setup;
  setup.path = policy;
  setup.data_path = policy_data;
  setup.entrypoint = policy_entrypoint;
  // Per-call decisions want native code; a one-shot call does not repay compiling it.
  setup.engine = engine == "auto" ? (expected_calls > 1 ? "aot" : "interp") : engine;
  setup.limits = options.limits;
  setup.print = [](const std::string& line) { write_line("policy: " + line); };
  if (options.now != 0) setup.now_ns = static_cast<int64_t>(options.now) * 1'000'000'000;  // $WASCC_NOW
  auto authorizer = policy_authorizer::PolicyAuthorizer::open(setup);
  if (!authorizer) return authorizer.error();
  options.authorizer = *authorizer;
  return authorizer;
}

Result<actor_host::Options> HostFlags::host_options(uint64_t expected_calls) const {
  actor_host::Options options;
  if (auto issuers = check_issuer_keys(allowed_issuers); !issuers) return issuers.error();
  auto per_call = limits.apply(options.limits);
  if (!per_call) return per_call.error();
  options.limits = *per_call;
  options.engine = engine;
  options.allowed_issuers = allowed_issuers;
  options.revoked = revoked;
  options.expected_calls = expected_calls;
  options.max_instances = max_instances;
  auto pinned = environment::pinned_now();
  if (!pinned) return pinned.error();
  options.now = *pinned;
  options.log = [](wapc::LogSource, std::string_view line) { log_output::line(LogLevel::Info, "guest", line); };
  options.notice = [](const std::string& text) { log_output::line(LogLevel::Info, "wascc", "wascc: " + text); };
  return options;
}

Result<std::vector<binding_spec::Binding>> HostFlags::parsed_bindings() const {
  std::vector<binding_spec::Binding> out;
  for (const auto& text : bindings) {
    auto binding = binding_spec::parse(text);
    if (!binding) return binding.error();
    out.push_back(std::move(binding.value()));
  }
  return out;
}

provider_catalog::Sinks stderr_sinks() {
  provider_catalog::Sinks sinks;
  sinks.log = [](const std::string& level, const std::string& line) {
    log_output::write(level_of(level), "actor", level + " " + line, line, {{"actor_level", level}});
  };
  sinks.notice = [](const std::string& line) { write_line("wascc: " + line); };
  if (log_output::enabled(LogLevel::Info)) {
    sinks.access = [](const http_server::AccessRecord& request) {
      const std::string status = std::to_string(request.status);
      const std::string micros = std::to_string(request.elapsed.count());
      log_output::write(LogLevel::Info, "http",
                        "wascc: http " + std::string(request.method) + " " + std::string(request.target) + " " +
                            status + " " + std::string(request.actor) + " " + micros + "us",
                        "request",
                        {{"method", std::string(request.method)},
                         {"path", std::string(request.target)},
                         {"status", request.status},
                         {"actor", std::string(request.actor)},
                         {"us", request.elapsed.count()}});
    };
  }
  return sinks;
}

}  // namespace wascc::tools::wascc_cli
