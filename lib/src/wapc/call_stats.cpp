#include "wascc/wapc/call_stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace wascc::call_stats {

Result<Stats, wapc::CallFailure> measure(wapc::Host& host, std::string_view operation, ByteView payload, uint64_t calls,
                                         uint64_t warmup) {
  for (uint64_t i = 0; i < warmup; ++i) {
    auto reply = host.call(operation, payload);
    if (!reply) return reply.error();
  }
  std::vector<double> latencies;
  latencies.reserve(calls);
  // One clock read per call: each call's latency runs from the end of the one before, so the
  // loop's own cost (a push_back) is counted once and the clock is not read twice per call.
  const auto begin = std::chrono::steady_clock::now();
  auto previous = begin;
  for (uint64_t i = 0; i < calls; ++i) {
    auto reply = host.call(operation, payload);
    const auto end = std::chrono::steady_clock::now();
    if (!reply) return reply.error();
    latencies.push_back(std::chrono::duration<double, std::micro>(end - previous).count());
    previous = end;
  }
  Stats stats;
  stats.calls = calls;
  stats.seconds = std::chrono::duration<double>(previous - begin).count();
  stats.calls_per_second = stats.seconds > 0 ? static_cast<double>(calls) / stats.seconds : 0;
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {
    size_t index = static_cast<size_t>(std::ceil(p * static_cast<double>(latencies.size()))) - 1;
    return latencies[std::min(index, latencies.size() - 1)];
  };
  double total = 0;
  for (double latency : latencies) total += latency;
  stats.mean_us = total / static_cast<double>(latencies.size());
  stats.p50_us = percentile(0.50);
  stats.p90_us = percentile(0.90);
  stats.p99_us = percentile(0.99);
  stats.max_us = latencies.back();
  return stats;
}

std::string to_text(const Stats& stats) {
  char text[512];
  std::snprintf(text, sizeof text,
                "calls      %llu in %.3f s\nmean       %.2f us\np50        %.2f us\np90        %.2f us\n"
                "p99        %.2f us\nmax        %.2f us\n%.0f calls/s\n",
                static_cast<unsigned long long>(stats.calls), stats.seconds, stats.mean_us, stats.p50_us, stats.p90_us,
                stats.p99_us, stats.max_us, stats.calls_per_second);
  return text;
}

jwt::Json to_json(const Stats& stats) {
  return {{"calls", stats.calls},     {"seconds", stats.seconds}, {"calls_per_second", stats.calls_per_second},
          {"mean_us", stats.mean_us}, {"p50_us", stats.p50_us},   {"p90_us", stats.p90_us},
          {"p99_us", stats.p99_us},   {"max_us", stats.max_us}};
}

}  // namespace wascc::call_stats
