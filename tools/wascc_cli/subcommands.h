// The wascc subcommands, one file each: setup_X adds the flags of the subcommand main.cpp
// created (main.cpp holds the names and one-line descriptions, the tool's index).
#pragma once

#include "common/tool_support.h"

namespace wascc::tools::wascc_cli {

Subcommand setup_call(CLI::App* command);
Subcommand setup_run(CLI::App* command);
Subcommand setup_test(CLI::App* command);
Subcommand setup_policy(CLI::App* command);
Subcommand setup_lattice(CLI::App* command);

}  // namespace wascc::tools::wascc_cli
