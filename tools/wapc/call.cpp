// wapc call MODULE OP [PAYLOAD]: one guest call; the raw reply on stdout.
#include <memory>

#include "wapc/guest_flags.h"
#include "wapc/subcommands.h"

namespace wascc::tools::wapc_cli {
namespace {

struct CallOptions {
  GuestFlags guest;
  std::string operation;
  PayloadFlags payload;
  bool json = false;
};

int run_call(CallOptions& options) {
  auto read = options.payload.read(options.guest.launch.module_path);
  if (!read) {
    print_error("wapc", read.error().message);
    return kExitUsage;
  }
  const Bytes& payload = *read;
  int exit_code = kExitSuccess;
  auto guest = launch_guest(options.guest, &exit_code);
  if (!guest) return exit_code;
  auto reply = guest->host->call(options.operation, payload);
  if (!reply) return report_call_failure("wapc", reply.error(), options.json);
  if (options.json) return print_json_reply(*reply);
  return write_raw_reply("wapc", *reply);
}

}  // namespace

Subcommand setup_call(CLI::App* call) {
  auto options = std::make_shared<CallOptions>();
  call->add_option("module", options->guest.launch.module_path, "The guest (.wasm; - for stdin)")->required();
  call->add_option("operation", options->operation, "Operation name")->required();
  add_payload_flags(*call, options->payload);
  call->add_flag("--json", options->json, "Print {\"ok\", \"reply\"} or {\"ok\": false, \"error\": {kind, message}}");
  add_guest_flags(*call, options->guest);
  return {call, [options] { return run_call(*options); }};
}

}  // namespace wascc::tools::wapc_cli
