// The wapc subcommands, one file each; main.cpp only wires them.
#pragma once

#include "common/tool_support.h"

namespace wascc::tools::wapc_cli {

Subcommand setup_call(CLI::App& parent);
Subcommand setup_bench(CLI::App& parent);
Subcommand setup_compile(CLI::App& parent);
Subcommand setup_cache(CLI::App& parent);

}  // namespace wascc::tools::wapc_cli
