// The wascc subcommands, one file each; main.cpp only wires them.
#pragma once

#include "common/tool_support.h"

namespace wascc::tools::wascc_cli {

Subcommand setup_call(CLI::App& parent);
Subcommand setup_run(CLI::App& parent);
Subcommand setup_test(CLI::App& parent);
Subcommand setup_policy(CLI::App& parent);

}  // namespace wascc::tools::wascc_cli
