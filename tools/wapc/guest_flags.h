// Flags shared by every wapc subcommand that runs a guest.
#pragma once

#include "common/limit_flags.h"
#include "common/tool_support.h"
#include "wascc/wapc/guest_launch.h"

namespace wascc::tools::wapc_cli {

struct GuestFlags {
  guest_launch::Options launch;
  LimitFlags limits;
  bool log = false;
};

// --engine, --timeout, --fuel, --max-memory-pages, --max-host-call-depth, --host-handler,
// --require-signed, --issuer, --log.
void add_guest_flags(CLI::App& command, GuestFlags& flags);

// Finishes the options (timeout parsing, log sink) and launches; prints the error and sets
// *exit_code on failure.
std::optional<guest_launch::LaunchedGuest> launch_guest(GuestFlags& flags, int* exit_code);

}  // namespace wascc::tools::wapc_cli
