// Per-call limits on guest execution, enforced the same way on every engine (see metering.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wascc/base/result.h"

namespace wascc::limits {

struct Limits {
  // Fuel units: roughly instructions, counted at function entries and loop headers by the
  // static size of the code entered (exact to within one refill slice). Unlimited unless set:
  // then the deadline alone stops a call (checked at every refill). A finite default would
  // stop an empty spin first: gcc runs such a loop's count down in one step, so it burns a
  // refill slice per call of the host (~50 ns).
  uint64_t fuel = UINT64_MAX;
  std::chrono::milliseconds timeout{10'000};
  uint32_t max_memory_pages = 4096;  // 256 MiB
  // Initial table sizes (funcref tables hold a pointer or two per element: a declared
  // `(table 1000000000 funcref)` would be 8 GiB). Real modules: thousands.
  uint64_t max_table_elements = 1'000'000;
  uint32_t max_host_call_depth = 32;
};

enum class LimitKind { Fuel, Deadline, Memory, HostCallDepth };

// The text of each limit's error. The deadline's matches wapc-rs (and what kubewarden matches).
std::string limit_message(LimitKind kind, const Limits& limits);

// "2s", "500ms", "1.5s", "250" (a bare number is milliseconds), "1m".
Result<std::chrono::milliseconds> parse_timeout(std::string_view text);

// The accounting behind the wascc_limits imports, for one call at a time.
class Budget {
 public:
  void start(const Limits& limits);

  // The next fuel slice, or nullopt when the fuel or the deadline is exhausted
  // (exceeded() then says which).
  std::optional<int64_t> refuel();

  // Whether memory may grow from `current_pages` by `delta` as far as the cap is concerned
  // (growth past wasm32's maximum is left to fail as the spec says); records the limit when not.
  bool allow_memory_growth(uint64_t current_pages, uint64_t delta);

  void record(LimitKind kind) { exceeded_ = kind; }
  std::optional<LimitKind> exceeded() const { return exceeded_; }
  const Limits& limits() const { return limits_; }
  std::chrono::steady_clock::time_point deadline() const { return deadline_; }

 private:
  Limits limits_;
  uint64_t fuel_left_ = 0;
  std::chrono::steady_clock::time_point deadline_{};
  std::optional<LimitKind> exceeded_;
};

}  // namespace wascc::limits
