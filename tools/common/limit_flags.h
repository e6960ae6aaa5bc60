// --timeout, --fuel and --max-memory-pages, spelt and parsed alike by every tool that runs guests
// (wapc call/bench, wascc run/call/test, wascc policy eval).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "wascc/base/result.h"
#include "wascc/engine/limits.h"

namespace wascc::tools {

struct LimitFlags {
  std::string timeout;  // as given; empty: the default passed to add_limit_flags
  std::optional<uint64_t> fuel;
  std::optional<uint32_t> max_memory_pages;

  // `base` with what was given on the command line; a bad --timeout is an input error.
  Result<limits::Limits> apply(limits::Limits base) const;
};

// `default_timeout` is shown in the help and used when --timeout is not given.
void add_limit_flags(CLI::App& command, LimitFlags& flags, const std::string& default_timeout);

}  // namespace wascc::tools
