// wapc cache list|clean: what the AOT cache holds, and making room.
#include <iostream>
#include <memory>

#include "wapc/subcommands.h"
#include "wascc/engine/aot_cache.h"
#include "wascc/base/unix_time.h"
#include "wascc/engine/aot_engine.h"

namespace wascc::tools::wapc_cli {
namespace {

struct CacheOptions {
  bool json = false;
  std::string max_size;  // "500M", "2G", "0"; empty: everything
};

std::string megabytes(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

// "0", "123" (bytes), "500K", "300M", "2G".
Result<uint64_t> parse_size(const std::string& text) {
  size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    return input_error("--max-size " + text + ": expected a size such as 500M or 2G");
  }
  const std::string unit = text.substr(used);
  const uint64_t scale = unit.empty()  ? 1
                         : unit == "K" ? 1ULL << 10
                         : unit == "M" ? 1ULL << 20
                         : unit == "G" ? 1ULL << 30
                                       : 0;
  if (scale == 0) return input_error("--max-size " + text + ": expected a size such as 500M or 2G");
  return value * scale;
}

int run_list(const CacheOptions& options) {
  const std::string directory = aot_engine::cache_directory();
  auto entries = aot_cache::list(directory);
  if (!entries) {
    print_error("wapc", entries.error().message);
    return kExitUsage;
  }
  uint64_t total = 0;
  for (const auto& entry : *entries) total += entry.bytes;
  if (options.json) {
    Json report = {{"directory", directory}, {"bytes", total}, {"artifacts", Json::array()}};
    for (const auto& entry : *entries) {
      report["artifacts"].push_back(
          {{"key", entry.key}, {"path", entry.path}, {"bytes", entry.bytes}, {"last_used", entry.last_used}});
    }
    print_json(report);
    return kExitSuccess;
  }
  std::cout << directory << ": " << entries->size() << " artifacts, " << megabytes(total) << '\n';
  for (const auto& entry : *entries) {
    std::cout << "  " << entry.key << "  " << megabytes(entry.bytes) << "  last used "
              << unix_time::iso8601_utc(static_cast<uint64_t>(entry.last_used)) << '\n';
  }
  return kExitSuccess;
}

int run_clean(const CacheOptions& options) {
  uint64_t max_bytes = 0;
  if (!options.max_size.empty()) {
    auto parsed = parse_size(options.max_size);
    if (!parsed) {
      print_error("wapc", parsed.error().message);
      return kExitUsage;
    }
    max_bytes = *parsed;
  }
  const std::string directory = aot_engine::cache_directory();
  auto cleaned = aot_cache::trim(directory, max_bytes);
  if (!cleaned) {
    print_error("wapc", cleaned.error().message);
    return kExitUsage;
  }
  if (options.json) {
    print_json({{"directory", directory},
                {"removed", cleaned->removed},
                {"bytes_freed", cleaned->bytes_freed},
                {"bytes_left", cleaned->bytes_left}});
  } else {
    std::cout << directory << ": removed " << cleaned->removed << " artifacts (" << megabytes(cleaned->bytes_freed)
              << "), " << megabytes(cleaned->bytes_left) << " left\n";
  }
  return kExitSuccess;
}

}  // namespace

Subcommand setup_cache(CLI::App* cache) {
  auto options = std::make_shared<CacheOptions>();
  cache->require_subcommand(1);
  auto* list = cache->add_subcommand("list", "Every artifact, most recently used first");
  list->add_flag("--json", options->json, "Print {directory, bytes, artifacts: [{key, path, bytes, last_used}]}");
  auto* clean = cache->add_subcommand("clean", "Remove artifacts: all, or the least recently used beyond --max-size");
  clean->add_option("--max-size", options->max_size, "Keep at most this much: 500M, 2G (default: remove all)");
  clean->add_flag("--json", options->json, "Print {directory, removed, bytes_freed, bytes_left}");
  return {cache, [options, list] { return list->parsed() ? run_list(*options) : run_clean(*options); }};
}

}  // namespace wascc::tools::wapc_cli
