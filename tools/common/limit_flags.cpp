#include "common/limit_flags.h"

namespace wascc::tools {

Result<limits::Limits> LimitFlags::apply(limits::Limits base) const {
  if (!timeout.empty()) {
    auto parsed = limits::parse_timeout(timeout);
    if (!parsed) return input_error("--timeout: " + parsed.error().message);
    base.timeout = *parsed;
  }
  if (fuel) base.fuel = *fuel;
  if (max_memory_pages) base.max_memory_pages = *max_memory_pages;
  return base;
}

void add_limit_flags(CLI::App& command, LimitFlags& flags, const std::string& default_timeout) {
  flags.timeout = default_timeout;
  command.add_option(
      "--timeout", flags.timeout,
      "Wall-time limit per call: 500ms, 2s, 1m, or a bare number of milliseconds (" + default_timeout + ")");
  command.add_option("--fuel", flags.fuel, "Fuel per call (about one unit per instruction)")
      ->check(CLI::PositiveNumber);
  command.add_option("--max-memory-pages", flags.max_memory_pages, "Memory cap in 64 KiB pages (4096)")
      ->check(CLI::Range(1u, 65536u));
}

}  // namespace wascc::tools
