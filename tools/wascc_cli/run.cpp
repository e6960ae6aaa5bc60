// wascc run MANIFEST | ACTOR.wasm --bind ...: host actors until SIGINT or SIGTERM.
#include <signal.h>

#include <cerrno>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "wascc/runner/runner.h"
#include "common/environment.h"
#include "wascc_cli/host_flags.h"
#include "wascc_cli/lattice_flags.h"
#include "wascc/runner/metrics_endpoint.h"
#include "wascc_cli/subcommands.h"

namespace wascc::tools::wascc_cli {
namespace {

constexpr long kWatchIntervalMs = 500;

struct RunOptions {
  std::string target;
  HostFlags host;
  LatticeFlags lattice;
  bool expand_env = false;
  bool watch = false;
  std::string metrics;  // ADDRESS:PORT of the Prometheus endpoint
};

// The providers' sinks, with the metrics registry counting HTTP requests when there is one.
provider_catalog::Sinks sinks_for(const std::shared_ptr<metrics::Registry>& registry) {
  auto sinks = stderr_sinks();
  if (!registry) return sinks;
  auto count = metrics_endpoint::request_counter(registry);
  sinks.access = [log = std::move(sinks.access), count](const http_server::AccessRecord& request) {
    if (log) log(request);
    count(request);
  };
  return sinks;
}

bool is_wasm_file(const std::string& path) {
  if (path.rfind("oci://", 0) == 0) return true;  // an actor in a registry
  auto file = InputFile::open(path, {.magic = kWasmMagic});
  if (!file) return false;
  const ByteView bytes = file->bytes();
  return bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' && bytes[3] == 'm';
}

Result<runner::Plan> plan_for(const RunOptions& options) {
  if (options.target != "-" && is_wasm_file(options.target)) {
    auto bindings = options.host.parsed_bindings();
    if (!bindings) return bindings.error();
    return runner::plan_for_actor(options.target, *bindings, options.host.providers);
  }
  if (!options.host.bindings.empty()) {
    return input_error(options.target + ": --bind applies to an actor file; a manifest lists its own bindings");
  }
  auto manifest = manifest::load(options.target, options.expand_env, environment::manifest_variables());
  if (!manifest) return manifest.error();
  auto plan = runner::plan_for_manifest(*manifest, options.target);
  if (!plan) return plan.error();
  for (const auto& spec : options.host.providers) plan->providers.push_back(runner::provider_spec(spec));
  return plan;
}

// Waits for SIGINT or SIGTERM (blocked in every thread); with --watch, reloads what changed
// (actor files, revocation list, policy) every half second meanwhile. Answers the signal's name.
std::string wait_for_stop(const sigset_t& stop_signals, runner::Runner& runner, bool watch) {
  while (true) {
    int signal_number = 0;
    if (watch) {
      const timespec interval{0, kWatchIntervalMs * 1000000};
      signal_number = sigtimedwait(&stop_signals, nullptr, &interval);
      if (signal_number < 0) {
        for (const auto& note : runner.reload_changed()) {
          log_output::line(note.refused ? LogLevel::Warn : LogLevel::Info, "wascc", "wascc: " + note.text);
        }
        continue;
      }
    } else if (sigwait(&stop_signals, &signal_number) != 0) {
      continue;
    }
    return signal_number == SIGINT ? "SIGINT" : "SIGTERM";
  }
}

int run_run(const RunOptions& options) {
  log_output::configure(options.host.log);
  // Before any provider starts a thread, so that only this one receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto plan = plan_for(options);
  if (!plan) {
    print_error("wascc", plan.error().message);
    return kExitUsage;
  }
  auto host_options = options.host.host_options(/*expected_calls=*/1000);
  if (!host_options) {
    print_error("wascc", host_options.error().message);
    return kExitUsage;
  }
  HostFlags host_flags = options.host;  // a manifest's policy, unless --policy names one
  if (host_flags.policy.empty() && plan->policy) {
    host_flags.policy = plan->policy->path;
    host_flags.policy_data = plan->policy->data;
    host_flags.policy_entrypoint = plan->policy->entrypoint;
  }
  auto policy = host_flags.attach_policy(*host_options, /*expected_calls=*/1000);
  if (!policy) {
    print_error("wascc", policy.error().message);
    return kExitUsage;
  }
  std::shared_ptr<metrics::Registry> registry;
  std::unique_ptr<http_server::HttpListener> metrics_server;
  if (!options.metrics.empty()) {
    registry = std::make_shared<metrics::Registry>();
    host_options->metrics = registry;
    auto served = metrics_endpoint::serve(registry, options.metrics);
    if (!served) {
      print_error("wascc", served.error().message);
      return kExitUsage;
    }
    metrics_server = std::move(served.value());
    log_output::line(LogLevel::Info, "wascc",
                     "wascc: metrics at http://" + metrics_endpoint::parse_address(options.metrics)->first + ":" +
                         std::to_string(metrics_server->port()) + "/metrics");
  }
  runner::Runner runner(*host_options, sinks_for(registry),
                        std::chrono::milliseconds(options.host.provider_timeout_ms));
  const std::string revocations = options.host.revocations.empty() ? plan->revocations : options.host.revocations;
  plan->registry.insecure = options.host.insecure;
  if (auto listed = runner.use_revocations(revocations, options.host.revoked); !listed) {
    print_error("wascc", "revocations: " + listed.error().message);
    return kExitUsage;
  }
  const bool joins = options.lattice.joins() || (plan->lattice && !plan->lattice->urls.empty());
  if (joins) {
    auto lattice_options = options.lattice.options(plan->lattice);
    if (!lattice_options) {
      print_error("wascc", lattice_options.error().message);
      return kExitUsage;
    }
    lattice_options->notice = [](const std::string& text) {
      log_output::line(LogLevel::Warn, "wascc", "wascc: " + text);
    };
    if (auto joined = runner.join_lattice(*lattice_options); !joined) {
      print_error("wascc", joined.error().message);
      return exit_code_for(joined.error());
    }
    log_output::line(LogLevel::Info, "wascc",
                     "wascc: joined lattice " + lattice_options->name + " as host " + runner.lattice()->host_id());
  }
  if (auto started = runner.start(*plan); !started) {
    print_error("wascc", started.error().message);
    runner.stop();
    return exit_code_for(started.error());
  }
  for (const auto& actor : runner.actors()) {
    log_output::line(
        LogLevel::Info, "wascc",
        "wascc: running " + actor.path + " (" + (actor.name.empty() ? "unnamed" : actor.name) + ", " + actor.key + ")");
  }
  log_output::line(
      LogLevel::Info, "wascc",
      std::string("wascc: ready; SIGINT or SIGTERM stops") + (options.watch ? ", actor files are watched" : ""));
  runner.watch_policy(*policy);
  const std::string signal_name = wait_for_stop(stop_signals, runner, options.watch);
  log_output::line(LogLevel::Info, "wascc",
                   "wascc: " + signal_name + ": " + (joins ? "leaving the lattice, " : "") +
                       "unbinding actors and stopping providers");
  runner.stop();
  log_output::line(LogLevel::Info, "wascc", "wascc: stopped");
  return kExitSuccess;
}

}  // namespace

Subcommand setup_run(CLI::App* run) {
  auto options = std::make_shared<RunOptions>();
  run->add_option("target", options->target,
                  "Manifest (.yaml/.yml/no extension: YAML, else JSON; - for stdin) or actor .wasm")
      ->required();
  options->host.add_to(*run, "30s");
  options->lattice.add_to(*run);
  run->add_option("--metrics", options->metrics,
                  "Serve Prometheus metrics at http://ADDRESS:PORT/metrics (e.g. 127.0.0.1:9090)");
  run->add_flag("--expand-env", options->expand_env,
                "Replace ${VAR} and ${VAR:default} in the manifest from the environment");
  run->add_flag("--watch", options->watch,
                "Reload what changes: actor files (same subject), the revocation list, the policy;\n"
                "a refused reload keeps the old one");
  return {run, [options] { return run_run(*options); }};
}

}  // namespace wascc::tools::wascc_cli
