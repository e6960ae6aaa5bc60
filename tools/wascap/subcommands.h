// The wascap subcommands, one file each; main.cpp only wires them.
#pragma once

#include "common/tool_support.h"

namespace wascc::tools::wascap {

Subcommand setup_keys(CLI::App& parent);
Subcommand setup_sign(CLI::App& parent);
Subcommand setup_inspect(CLI::App& parent);
Subcommand setup_verify(CLI::App& parent);
Subcommand setup_push(CLI::App& parent);
Subcommand setup_pull(CLI::App& parent);

}  // namespace wascc::tools::wascap
