// A receiver's record of the lattice invocations it has taken, until each one's deadline: a
// retry of one it ran (the same bytes again: same id, same token) is answered with the first
// run's response instead of running twice, and an id that comes back with another token is a
// replay and refused. Entries go at their deadline, after which the invocation is refused as
// expired anyway; the ledger holds at most `capacity` (the soonest to expire go first).
#pragma once

#include <cstdint>
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "wascc/base/bytes_io.h"

namespace wascc::invocation_ledger {

enum class Verdict {
  Run,     // first sight: run it, then complete()
  Answer,  // a retry: wait for `answer` (the first run may still be going)
  Replay,  // the id was taken by another invocation: refuse
};

struct Admission {
  Verdict verdict = Verdict::Run;
  std::shared_future<Bytes> answer;  // for Answer
};

class Ledger {
 public:
  explicit Ledger(size_t capacity = 100'000) : capacity_(capacity) {}

  Admission admit(const std::string& id, const std::string& token, uint64_t deadline_ms, uint64_t now_ms);
  // The encoded response of a run admitted with Verdict::Run.
  void complete(const std::string& id, Bytes response);

  size_t size();

 private:
  struct Entry {
    std::string token;
    uint64_t deadline_ms = 0;
    std::promise<Bytes> promise;
    std::shared_future<Bytes> answer;
    bool completed = false;
  };
  void forget_expired(uint64_t now_ms);

  std::mutex mutex_;
  size_t capacity_;
  std::map<std::string, Entry> entries_;
  std::multimap<uint64_t, std::string> by_deadline_;
};

}  // namespace wascc::invocation_ledger
