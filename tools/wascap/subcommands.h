// The wascap subcommands, one file each: setup_X adds the flags of the subcommand main.cpp
// created (main.cpp holds the names and one-line descriptions, the tool's index).
#pragma once

#include "common/tool_support.h"

namespace wascc::tools::wascap {

Subcommand setup_keys(CLI::App* command);
Subcommand setup_sign(CLI::App* command);
Subcommand setup_inspect(CLI::App* command);
Subcommand setup_verify(CLI::App* command);
Subcommand setup_push(CLI::App* command);
Subcommand setup_pull(CLI::App* command);

}  // namespace wascc::tools::wascap
