// wascc call ACTOR OP [PAYLOAD]: one invocation of a signed actor with its bindings.
#include <iostream>
#include <memory>

#include "wascc/actors/actor_codec.h"
#include "wascc/runner/runner.h"
#include "wascc_cli/host_flags.h"
#include "wascc_cli/subcommands.h"

namespace wascc::tools::wascc_cli {
namespace {

struct CallOptions {
  std::string actor;
  std::string operation;
  std::string payload;
  HostFlags host;
  bool raw = false;
  bool json = false;
};

// JSON (or raw bytes with --raw) to the payload: JSON becomes msgpack, as wash's `ctl call` did.
Result<Bytes> payload_bytes(const CallOptions& options) {
  Bytes raw;
  if (options.payload == "-") {
    auto read = read_file_or_stdin("-");
    if (!read) return read.error();
    raw = std::move(read.value());
  } else {
    raw.assign(options.payload.begin(), options.payload.end());
  }
  if (options.raw) return raw;
  if (raw.empty()) return Bytes{};
  auto document = json::parse(as_text(raw));
  if (!document)
    return input_error("the payload is not JSON (" + document.error().message +
                       "; give --raw to send bytes as they are)");
  return Json::to_msgpack(*document);
}

int run_call(const CallOptions& options) {
  log_output::configure(options.host.log);
  if (options.actor == "-" && options.payload == "-") {
    print_error("wascc", "the actor and the payload cannot both come from stdin");
    return kExitUsage;
  }
  auto payload = payload_bytes(options);
  if (!payload) {
    print_error("wascc", payload.error().message);
    return kExitUsage;
  }
  auto bindings = options.host.parsed_bindings();
  if (!bindings) {
    print_error("wascc", bindings.error().message);
    return kExitUsage;
  }
  // One invocation: "auto" compiles only what is already cached.
  auto host_options = options.host.host_options(/*expected_calls=*/1);
  if (!host_options) {
    print_error("wascc", host_options.error().message);
    return kExitUsage;
  }
  auto policy = options.host.attach_policy(*host_options, /*expected_calls=*/1);
  if (!policy) {
    print_error("wascc", policy.error().message);
    return kExitUsage;
  }
  runner::Runner runner(*host_options, stderr_sinks(), std::chrono::milliseconds(options.host.provider_timeout_ms));
  if (auto listed = runner.use_revocations(options.host.revocations, options.host.revoked); !listed) {
    print_error("wascc", "revocations: " + listed.error().message);
    return kExitUsage;
  }
  auto plan = runner::plan_for_actor(options.actor, *bindings, options.host.providers);
  plan.registry.insecure = options.host.insecure;
  if (auto started = runner.start(plan); !started) {
    print_error("wascc", started.error().message);
    return exit_code_for(started.error());
  }
  auto& host = runner.host();
  const std::string actor = runner.actors().front().key;
  auto reply = host.call_actor(actor, options.operation, *payload);
  if (!reply) return report_call_failure("wascc", reply.error(), options.json);
  if (options.json) return print_json_reply(*reply, options.raw ? std::nullopt : actor_codec::readable_json(*reply));
  if (!options.raw && !reply->empty()) {
    if (auto readable = actor_codec::readable_json(*reply)) {
      std::cout << json::dump(*readable, 2) << '\n';
      return kExitSuccess;
    }
  }
  return write_raw_reply("wascc", *reply);
}

}  // namespace

Subcommand setup_call(CLI::App* call) {
  auto options = std::make_shared<CallOptions>();
  call->add_option("actor", options->actor, "The signed actor (.wasm; - for stdin)")->required();
  call->add_option("operation", options->operation, "Operation name")->required();
  call->add_option("payload", options->payload, "JSON payload, sent as msgpack (- reads stdin); raw bytes with --raw");
  options->host.add_to(*call, "10s");
  call->add_flag("--raw", options->raw, "Send the payload and print the reply as raw bytes");
  call->add_flag("--json", options->json,
                 "Print {\"ok\", \"reply\"} or {\"ok\": false, \"error\": {kind, message}}, as wapc call --json");
  return {call, [options] { return run_call(*options); }};
}

}  // namespace wascc::tools::wascc_cli
