// Flags shared by every wapc subcommand that runs a guest.
#pragma once

#include "common/limit_flags.h"
#include "common/log_output.h"
#include "common/tool_support.h"
#include "wascc/wapc/guest_launch.h"

namespace wascc::tools::wapc_cli {

// The payload of `wapc call` and `wapc bench`: the argument (- reads stdin) or --file FILE.
struct PayloadFlags {
  std::optional<std::string> text;
  std::optional<std::string> file;
  // Reads it; both given, or the module and the payload both on stdin, is a usage error.
  Result<Bytes> read(const std::string& module_path) const;
};
void add_payload_flags(CLI::App& command, PayloadFlags& flags);

struct GuestFlags {
  guest_launch::Options launch;
  LimitFlags limits;
  bool log = false;
  LogFlags log_flags;
};

// --engine, --timeout, --fuel, --max-memory-pages, --max-host-call-depth, --host-handler,
// --require-signed, --issuer, --log, --log-level, --log-format.
void add_guest_flags(CLI::App& command, GuestFlags& flags);

// Finishes the options (timeout parsing, log sink) and launches; prints the error and sets
// *exit_code on failure.
std::optional<guest_launch::LaunchedGuest> launch_guest(GuestFlags& flags, int* exit_code);

}  // namespace wascc::tools::wapc_cli
