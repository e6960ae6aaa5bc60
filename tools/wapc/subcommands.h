// The wapc subcommands, one file each: setup_X adds the flags of the subcommand main.cpp
// created (main.cpp holds the names and one-line descriptions, the tool's index).
#pragma once

#include "common/tool_support.h"

namespace wascc::tools::wapc_cli {

Subcommand setup_call(CLI::App* command);
Subcommand setup_bench(CLI::App* command);
Subcommand setup_compile(CLI::App* command);
Subcommand setup_cache(CLI::App* command);

}  // namespace wascc::tools::wapc_cli
