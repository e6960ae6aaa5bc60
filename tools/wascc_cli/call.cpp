// wascc call ACTOR OP [PAYLOAD]: one invocation of a signed actor with its bindings.
#include <iostream>
#include <memory>

#include "wascc/actor_host.h"
#include "wascc/binding_spec.h"
#include "wascc/builtin_providers.h"
#include "wascc_cli/subcommands.h"

namespace wascc::tools::wascc_cli {
namespace {

struct CallOptions {
  std::string actor;
  std::string operation;
  std::string payload;
  std::vector<std::string> bindings;
  std::vector<std::string> allowed_issuers;
  std::string engine = "auto";
  bool raw = false;
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
  auto json = jwt::Json::parse(raw.begin(), raw.end(), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return input_error("the payload is not JSON (give --raw to send bytes as they are)");
  return jwt::Json::to_msgpack(json);
}

int run_call(const CallOptions& options) {
  if (options.actor == "-" && options.payload == "-") {
    print_error("wascc", "the actor and the payload cannot both come from stdin");
    return kExitUsage;
  }
  auto payload = payload_bytes(options);
  if (!payload) {
    print_error("wascc", payload.error().message);
    return kExitUsage;
  }
  auto wasm = InputFile::open(options.actor);
  if (!wasm) {
    print_error("wascc", wasm.error().message);
    return kExitUsage;
  }
  actor_host::Options host_options;
  host_options.engine = options.engine;
  host_options.allowed_issuers = options.allowed_issuers;
  host_options.expected_calls = 1;  // one invocation: "auto" compiles only what is cached
  actor_host::Host host(host_options);
  auto log = [](const std::string& level, const std::string& line) { std::cerr << level << " " << line << '\n'; };
  std::vector<binding_spec::Binding> bindings;
  for (const auto& text : options.bindings) {
    auto binding = binding_spec::parse(text);
    if (!binding) {
      print_error("wascc", binding.error().message);
      return kExitUsage;
    }
    auto provider = builtin_providers::make_builtin(binding->capability_id, log);
    if (!provider) {
      print_error("wascc", provider.error().message);
      return kExitUsage;
    }
    host.add_provider(*provider, binding->name);
    bindings.push_back(std::move(binding.value()));
  }
  host.add_provider(*builtin_providers::make_builtin("wascc:extras", log));
  auto actor = host.add_actor(wasm->bytes(), options.actor);
  if (!actor) {
    print_error("wascc", actor.error().message);
    return exit_code_for(actor.error());
  }
  for (const auto& binding : bindings) {
    if (auto bound = host.bind(*actor, binding.capability_id, binding.name, binding.values); !bound) {
      print_error("wascc", bound.error().message);
      return exit_code_for(bound.error());
    }
  }
  auto reply = host.call_actor(*actor, options.operation, *payload);
  if (!reply) return report_call_failure("wascc", reply.error(), /*json=*/false);
  if (!options.raw && !reply->empty()) {
    auto json = jwt::Json::from_msgpack(reply->begin(), reply->end(), true, /*allow_exceptions=*/false);
    if (!json.is_discarded()) {
      std::cout << json.dump(2) << '\n';
      return kExitSuccess;
    }
  }
  if (auto written = write_file_atomically("-", *reply); !written) {
    print_error("wascc", written.error().message);
    return kExitUsage;
  }
  return kExitSuccess;
}

}  // namespace

Subcommand setup_call(CLI::App& parent) {
  auto options = std::make_shared<CallOptions>();
  auto* call = parent.add_subcommand("call", "Invoke one operation of a signed actor; the reply goes to stdout\n"
                                             "(msgpack replies as JSON unless --raw)");
  call->add_option("actor", options->actor, "The signed actor (.wasm; - for stdin)")->required();
  call->add_option("operation", options->operation, "Operation name")->required();
  call->add_option("payload", options->payload, "JSON payload, sent as msgpack (- reads stdin); raw bytes with --raw");
  add_repeatable_option(*call, "--bind", options->bindings,
                        "CAPID[@BINDING][?KEY=VALUE&...] (repeatable), e.g. wascc:keyvalue");
  add_repeatable_option(*call, "--allow-issuer", options->allowed_issuers, "Accept only actors signed by KEY (repeatable)");
  call->add_option("--engine", options->engine, "interp, aot or auto")->check(CLI::IsMember({"interp", "aot", "auto"}));
  call->add_flag("--raw", options->raw, "Send the payload and print the reply as raw bytes");
  return {call, [options] { return run_call(*options); }};
}

}  // namespace wascc::tools::wascc_cli
