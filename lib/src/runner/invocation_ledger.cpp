#include "wascc/runner/invocation_ledger.h"

namespace wascc::invocation_ledger {

void Ledger::forget_expired(uint64_t now_ms) {
  auto next = by_deadline_.begin();
  while (next != by_deadline_.end() && (next->first < now_ms || entries_.size() >= capacity_)) {
    auto found = entries_.find(next->second);
    if (found != entries_.end() && !found->second.completed) {  // still running: its retries wait on it
      ++next;
      continue;
    }
    if (found != entries_.end()) entries_.erase(found);
    next = by_deadline_.erase(next);
  }
}

Admission Ledger::admit(const std::string& id, const std::string& token, uint64_t deadline_ms, uint64_t now_ms) {
  std::lock_guard lock(mutex_);
  forget_expired(now_ms);
  if (auto found = entries_.find(id); found != entries_.end()) {
    if (found->second.token != token) return {Verdict::Replay, {}};
    return {Verdict::Answer, found->second.answer};
  }
  Entry& entry = entries_[id];
  entry.token = token;
  entry.deadline_ms = deadline_ms;
  entry.answer = entry.promise.get_future().share();
  by_deadline_.emplace(deadline_ms, id);
  return {Verdict::Run, {}};
}

void Ledger::complete(const std::string& id, Bytes response) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(id);
  if (found == entries_.end() || found->second.completed) return;
  found->second.completed = true;
  found->second.promise.set_value(std::move(response));
}

size_t Ledger::size() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace wascc::invocation_ledger
