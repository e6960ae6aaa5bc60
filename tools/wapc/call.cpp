// wapc call MODULE OP [PAYLOAD]: one guest call; the raw reply on stdout.
#include <memory>

#include "wapc/guest_flags.h"
#include "wapc/subcommands.h"

namespace wascc::tools::wapc_cli {
namespace {

struct CallOptions {
  GuestFlags guest;
  std::string operation;
  std::optional<std::string> payload;
  std::optional<std::string> payload_file;
  bool json = false;
};

int run_call(CallOptions& options) {
  Bytes payload;
  if (options.payload && options.payload_file) {
    print_error("wapc", "give the payload as an argument or with --file, not both");
    return kExitUsage;
  }
  if (options.payload_file || (options.payload && *options.payload == "-")) {
    auto read = read_file_or_stdin(options.payload_file.value_or("-"));
    if (!read) {
      print_error("wapc", read.error().message);
      return kExitUsage;
    }
    payload = std::move(read.value());
  } else if (options.payload) {
    payload.assign(options.payload->begin(), options.payload->end());
  }
  if (options.guest.launch.module_path == "-" && (options.payload_file.value_or("") == "-" || options.payload == "-")) {
    print_error("wapc", "the module and the payload cannot both come from stdin");
    return kExitUsage;
  }
  int exit_code = kExitSuccess;
  auto guest = launch_guest(options.guest, &exit_code);
  if (!guest) return exit_code;
  auto reply = guest->host->call(options.operation, payload);
  if (!reply) return report_call_failure("wapc", reply.error(), options.json);
  if (options.json) {
    Json report = {{"ok", true}};
    json::put_bytes(report, "reply", *reply);
    print_json(report);
    return kExitSuccess;
  }
  return write_raw_reply("wapc", *reply);
}

}  // namespace

Subcommand setup_call(CLI::App& parent) {
  auto options = std::make_shared<CallOptions>();
  auto* call = parent.add_subcommand("call", "Call one operation; the raw reply goes to stdout");
  call->add_option("module", options->guest.launch.module_path, "The guest (.wasm; - for stdin)")->required();
  call->add_option("operation", options->operation, "Operation name")->required();
  call->add_option("payload", options->payload, "Payload text (- reads stdin; default empty)");
  call->add_option("--file", options->payload_file, "Read the payload from FILE (- for stdin)");
  call->add_flag("--json", options->json, "Print {\"ok\", \"reply\"} or {\"ok\": false, \"error\": {kind, message}}");
  add_guest_flags(*call, options->guest);
  return {call, [options] { return run_call(*options); }};
}

}  // namespace wascc::tools::wapc_cli
