#include "wascc/engine/limits.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

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

void Budget::start(const Limits& limits) {
  limits_ = limits;
  fuel_left_ = limits.fuel;
  deadline_ = std::chrono::steady_clock::now() + limits.timeout;
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
