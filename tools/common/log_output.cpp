#include "common/log_output.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "wascc/base/json.h"

namespace wascc::tools {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::Info)};
std::atomic<bool> g_json{false};
std::mutex g_stderr;

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "error";
    case LogLevel::Warn: return "warn";
    case LogLevel::Info: return "info";
    case LogLevel::Debug: return "debug";
  }
  return "info";
}

std::string timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

}  // namespace

void add_log_flags(CLI::App& command, LogFlags& flags) {
  command
      .add_option("--log-level", flags.level, "error, warn, info (default; one access line per HTTP request) or debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  command.add_option("--log-format", flags.format, "text (default) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
}

namespace log_output {

void configure(const LogFlags& flags) {
  const std::string& name = flags.level;
  const LogLevel level = name == "error"   ? LogLevel::Error
                         : name == "warn"  ? LogLevel::Warn
                         : name == "debug" ? LogLevel::Debug
                                           : LogLevel::Info;
  g_level = static_cast<int>(level);
  g_json = flags.format == "json";
}

bool enabled(LogLevel level) { return static_cast<int>(level) <= g_level.load(std::memory_order_relaxed); }

void write(LogLevel level, std::string_view source, std::string_view text, std::string_view message,
           const LogFields& fields) {
  if (!enabled(level)) return;
  std::string out;
  if (g_json) {
    Json object = Json::object();
    object["ts"] = timestamp();
    object["level"] = level_name(level);
    object["source"] = source;
    object["msg"] = message.empty() ? text : message;
    for (const auto& [name, value] : fields) object[name] = value;
    out = json::dump(object);  // invalid UTF-8 from a guest is replaced, never thrown
  } else {
    out = text;
  }
  out += '\n';
  std::lock_guard lock(g_stderr);
  std::fwrite(out.data(), 1, out.size(), stderr);  // one write per line: lines never interleave
}

void line(LogLevel level, std::string_view source, std::string_view text) {
  std::string_view message = text;
  if (message.starts_with("wascc: ")) message.remove_prefix(7);
  write(level, source, text, message);
}

}  // namespace log_output
}  // namespace wascc::tools
