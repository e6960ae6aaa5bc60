#include "wascc/engine/limits.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>

#include "wascc/engine/metering.h"

namespace wascc::limits {

std::string limit_message(LimitKind kind, const Limits& limits) {
  switch (kind) {
    case LimitKind::Fuel: return "guest ran out of fuel (" + std::to_string(limits.fuel) + " units)";
    case LimitKind::Deadline: return "guest code interrupted, execution deadline exceeded";
    case LimitKind::Memory:
      return "guest memory limit exceeded (" + std::to_string(limits.max_memory_pages) + " pages)";
    case LimitKind::HostCallDepth:
      return "host call depth limit exceeded (" + std::to_string(limits.max_host_call_depth) + ")";
  }
  return "limit exceeded";
}

Result<std::chrono::milliseconds> parse_timeout(std::string_view text) {
  auto bad = [&] {
    return input_error("\"" + std::string(text) + "\" is not a duration: use 500ms, 2s, 1.5s, 1m or milliseconds");
  };
  if (text.empty()) return bad();
  std::string number(text);
  double scale = 1;
  if (number.size() > 2 && number.ends_with("ms")) {
    number.resize(number.size() - 2);
  } else if (number.ends_with("s")) {
    number.pop_back();
    scale = 1000;
  } else if (number.ends_with("m")) {
    number.pop_back();
    scale = 60000;
  }
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !(value > 0) || value * scale > 1e12) {
    return bad();
  }
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(value * scale)));
}

namespace {

// The coarse monotonic clock: the monotonic clock's value at the last timer tick, read in a
// few nanoseconds where the precise one costs ~25 (a fifth of an echo round trip).
std::chrono::nanoseconds coarse_resolution() {
  timespec resolution{};
  if (::clock_getres(CLOCK_MONOTONIC_COARSE, &resolution) != 0) return std::chrono::hours(1);
  return std::chrono::seconds(resolution.tv_sec) + std::chrono::nanoseconds(resolution.tv_nsec);
}

// When a call starts: the coarse clock when `timeout` is at least 250 of its ticks (so the
// deadline is at most 0.4% early: 4 ms of a second at 250 Hz), else the precise clock. Both
// count from the same origin as steady_clock (CLOCK_MONOTONIC).
std::chrono::steady_clock::time_point start_time(std::chrono::milliseconds timeout) {
  static const std::chrono::nanoseconds kTick = coarse_resolution();
  timespec now{};
  if (timeout < 250 * kTick || ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now) != 0)
    return std::chrono::steady_clock::now();
  return std::chrono::steady_clock::time_point(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec)));
}

}  // namespace

void Budget::start(const Limits& limits) {
  limits_ = limits;
  fuel_left_ = limits.fuel;
  deadline_ = start_time(limits.timeout) + limits.timeout;
  exceeded_.reset();
}

std::optional<int64_t> Budget::refuel() {
  if (fuel_left_ == 0) {
    exceeded_ = LimitKind::Fuel;
    return std::nullopt;
  }
  if (std::chrono::steady_clock::now() >= deadline_) {
    exceeded_ = LimitKind::Deadline;
    return std::nullopt;
  }
  const uint64_t slice = std::min<uint64_t>(fuel_left_, metering::kFuelSlice);
  fuel_left_ -= slice;
  return static_cast<int64_t>(slice);
}

bool Budget::allow_memory_growth(uint64_t current_pages, uint64_t delta) {
  // Beyond wasm32's 65,536 pages growth fails by the spec itself (memory.grow returns -1);
  // the cap is for growth the module could otherwise get.
  constexpr uint64_t kWasm32MaxPages = 65536;
  if (current_pages + delta > kWasm32MaxPages) return true;
  if (current_pages + delta > limits_.max_memory_pages) {
    exceeded_ = LimitKind::Memory;
    return false;
  }
  return true;
}

}  // namespace wascc::limits
