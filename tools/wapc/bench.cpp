// wapc bench MODULE OP [PAYLOAD] -n N: calls per second and latency percentiles.
#include <iostream>
#include <memory>

#include "wapc/guest_flags.h"
#include "wapc/subcommands.h"
#include "wascc/wapc/call_stats.h"

namespace wascc::tools::wapc_cli {
namespace {

struct BenchOptions {
  GuestFlags guest;
  std::string operation;
  PayloadFlags payload;
  uint64_t calls = 10000;
  uint64_t warmup = 100;
  bool json = false;
};

int run_bench(BenchOptions& options) {
  auto payload = options.payload.read(options.guest.launch.module_path);
  if (!payload) {
    print_error("wapc", payload.error().message);
    return kExitUsage;
  }
  int exit_code = kExitSuccess;
  options.guest.launch.expected_calls = options.calls + options.warmup;
  auto guest = launch_guest(options.guest, &exit_code);
  if (!guest) return exit_code;
  auto stats = call_stats::measure(*guest->host, options.operation, *payload, options.calls, options.warmup);
  if (!stats) return report_call_failure("wapc", stats.error(), options.json);
  if (options.json) {
    print_json(call_stats::to_json(*stats));
  } else {
    std::cout << call_stats::to_text(*stats);
  }
  return kExitSuccess;
}

}  // namespace

Subcommand setup_bench(CLI::App* bench) {
  auto options = std::make_shared<BenchOptions>();
  bench->add_option("module", options->guest.launch.module_path, "The guest (.wasm)")->required();
  bench->add_option("operation", options->operation, "Operation name")->required();
  add_payload_flags(*bench, options->payload);
  bench->add_option("-n,--calls", options->calls, "Number of measured calls")->check(CLI::Range(1, 1000000000));
  bench->add_option("--warmup", options->warmup, "Unmeasured calls first");
  bench->add_flag("--json", options->json, "Print the numbers as JSON");
  add_guest_flags(*bench, options->guest);
  return {bench, [options] { return run_bench(*options); }};
}

}  // namespace wascc::tools::wapc_cli
