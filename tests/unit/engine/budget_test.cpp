// When a call's deadline falls: long deadlines start from the coarse clock (cheap, at most one
// tick early), short ones from the precise clock (never early).
#include <doctest/doctest.h>

#include "wascc/engine/limits.h"

using namespace wascc;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A budget started with `timeout`: the precise clock just before and just after, and its deadline.
struct Started {
  Clock::time_point before, deadline, after;
};

Started start_with(std::chrono::milliseconds timeout) {
  limits::Limits limits;
  limits.timeout = timeout;
  limits::Budget budget;
  Started started;
  started.before = Clock::now();
  budget.start(limits);
  started.after = Clock::now();
  started.deadline = budget.deadline();
  return started;
}

}  // namespace

TEST_CASE("budget: a deadline of a second or more is at most a tick early, never late") {
  const Started started = start_with(2s);
  CHECK(started.deadline <= started.after + 2s);
  CHECK(started.deadline >= started.before + 2s - 10ms);  // a tick is 1-10 ms (Linux's HZ)
}

TEST_CASE("budget: a short deadline is never early") {
  const Started started = start_with(50ms);
  CHECK(started.deadline >= started.before + 50ms);
  CHECK(started.deadline <= started.after + 50ms);
}
