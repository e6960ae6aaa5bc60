// --log-level error|warn|info|debug and --log-format text|json for the tools that run guests,
// and the one writer of their log lines to stderr (providers write from their own threads).
// Text lines read as they always have ("wascc: ready; ..."); JSON lines are one object each:
// {"ts": "2026-11-27T18:40:00.123Z", "level": "info", "source": "wascc", "msg": "...", ...fields}.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wascc/base/json.h"

namespace wascc::tools {

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 };

struct LogFlags {
  std::string level = "info";
  std::string format = "text";
};
void add_log_flags(CLI::App& command, LogFlags& flags);

using LogFields = std::vector<std::pair<std::string, Json>>;

namespace log_output {

// Applies the flags (process-wide: a tool runs one command).
void configure(const LogFlags& flags);
bool enabled(LogLevel level);
// `text` is the line as text format prints it; `message` and `fields` what JSON carries.
void write(LogLevel level, std::string_view source, std::string_view text, std::string_view message = {},
           const LogFields& fields = {});
// A line of text format as is ("wascc: ready; ..."), at `level`; JSON gets it as msg, without
// the "wascc: " that text lines start with.
void line(LogLevel level, std::string_view source, std::string_view text);

}  // namespace log_output
}  // namespace wascc::tools
