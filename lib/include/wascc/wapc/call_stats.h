// Measuring guest calls: throughput and latency percentiles from one process.
#pragma once

#include <cstdint>
#include <string>

#include "wascc/wascap/jwt.h"
#include "wascc/wapc/wapc_host.h"

namespace wascc::call_stats {

struct Stats {
  uint64_t calls = 0;
  double seconds = 0;
  double calls_per_second = 0;
  double mean_us = 0, p50_us = 0, p90_us = 0, p99_us = 0, max_us = 0;
};

// `warmup` unmeasured calls, then `calls` measured ones; the first failure stops it.
Result<Stats, wapc::CallFailure> measure(wapc::Host& host, std::string_view operation, ByteView payload, uint64_t calls,
                                         uint64_t warmup);

// Lines of "name value"; the last reads "N calls/s" (N rounded to a whole number).
std::string to_text(const Stats& stats);
jwt::Json to_json(const Stats& stats);

}  // namespace wascc::call_stats
