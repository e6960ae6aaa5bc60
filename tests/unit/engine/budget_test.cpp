// When a call's deadline falls: long deadlines start from the coarse clock (cheap, at most one
// tick early), short ones from the precise clock (never early).
#include <doctest/doctest.h>

#include "wascc/engine/limits.h"

using namespace wascc;
using namespace std::chrono_literals;

TEST_CASE("budget: a deadline of a second or more is at most a tick early, never late") {
  limits::Limits limits;
  limits.timeout = 2s;
  limits::Budget budget;
  const auto before = std::chrono::steady_clock::now();
  budget.start(limits);
  const auto after = std::chrono::steady_clock::now();
  CHECK(budget.deadline() <= after + 2s);
  CHECK(budget.deadline() >= before + 2s - 10ms);  // a tick is 1-10 ms (Linux's HZ)
}

TEST_CASE("budget: a short deadline is never early") {
  limits::Limits limits;
  limits.timeout = 50ms;
  limits::Budget budget;
  const auto before = std::chrono::steady_clock::now();
  budget.start(limits);
  const auto after = std::chrono::steady_clock::now();
  CHECK(budget.deadline() >= before + 50ms);
  CHECK(budget.deadline() <= after + 50ms);
}
