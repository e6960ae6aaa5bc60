#include "common/environment.h"
#include "wapc/guest_flags.h"

#include <iostream>

namespace wascc::tools::wapc_cli {

void add_guest_flags(CLI::App& command, GuestFlags& flags) {
  auto& launch = flags.launch;
  std::vector<std::string> engines = guest_launch::engine_names();
  engines.push_back("auto");
  command
      .add_option("--engine", launch.engine,
                  "interp, aot, or auto (default: aot when a native artifact is cached or many\n"
                  "calls are expected, else interp)")
      ->check(CLI::IsMember(engines));
  add_limit_flags(command, flags.limits, "10s");
  command.add_option("--max-host-call-depth", launch.limits.max_host_call_depth, "Nested host calls allowed");
  command.add_option("--host-handler", launch.host_handler_command,
                     "Answer host calls with CMD (see README): binding, namespace and operation in\n"
                     "WAPC_BINDING, WAPC_NAMESPACE, WAPC_OPERATION; payload on stdin; reply on stdout");
  command.add_flag("--require-signed", launch.require_signed, "Refuse a module whose claims do not verify");
  add_repeatable_option(command, "--issuer,--allow-issuer", launch.allowed_issuers,
                        "Allowed issuer (repeatable; implies --require-signed)");
  command.add_flag("--log", flags.log, "Show the guest's __console_log and WASI output on stderr");
  add_log_flags(command, flags.log_flags);
}

std::optional<guest_launch::LaunchedGuest> launch_guest(GuestFlags& flags, int* exit_code) {
  if (auto issuers = check_issuer_keys(flags.launch.allowed_issuers); !issuers) {
    print_error("wapc", issuers.error().message);
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  auto limits = flags.limits.apply(flags.launch.limits);
  if (!limits) {
    print_error("wapc", limits.error().message);
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  flags.launch.limits = *limits;
  auto pinned = environment::pinned_now();
  if (!pinned) {
    print_error("wapc", pinned.error().message);
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  flags.launch.now = *pinned;
  log_output::configure(flags.log_flags);
  if (flags.log) {
    flags.launch.log = [](wapc::LogSource source, std::string_view text) {
      const char* stream = source == wapc::LogSource::ConsoleLog ? "console"
                           : source == wapc::LogSource::Stdout   ? "stdout"
                                                                 : "stderr";
      const std::string tag =
          source == wapc::LogSource::ConsoleLog ? "[guest] " : std::string("[guest ") + stream + "] ";
      if (text.ends_with('\n')) text.remove_suffix(1);
      log_output::write(LogLevel::Info, "guest", tag + std::string(text), text, {{"stream", stream}});
    };
  }
  auto launched = guest_launch::launch(flags.launch);
  if (!launched) {
    print_error("wapc", launched.error().message);
    *exit_code = exit_code_for(launched.error());
    return std::nullopt;
  }
  return std::move(launched.value());
}

Result<Bytes> PayloadFlags::read(const std::string& module_path) const {
  if (text && file) return input_error("give the payload as an argument or with --file, not both");
  const bool from_stdin = file.value_or("") == "-" || text.value_or("") == "-";
  if (module_path == "-" && from_stdin) return input_error("the module and the payload cannot both come from stdin");
  if (file || from_stdin) return read_file_or_stdin(file.value_or("-"));
  return text ? Bytes(text->begin(), text->end()) : Bytes{};
}

void add_payload_flags(CLI::App& command, PayloadFlags& flags) {
  command.add_option("payload", flags.text, "Payload text (- reads stdin; default empty)");
  command.add_option("--file", flags.file, "Read the payload from FILE (- for stdin)");
}

}  // namespace wascc::tools::wapc_cli
