// The host's private record of one actor (its claims, bindings and pool of instances), shared
// by the files that implement actor_host::Host.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "wascc/actors/actor_host.h"
#include "wascc/engine/engine.h"

namespace wascc::actor_host {

// One version of an actor's module: its engine and every instance made of it. Instances are
// created on demand up to the actor's max_instances; a live update starts a new generation,
// and the old one goes when its last call in flight returns.
struct Host::Generation {
  std::unique_ptr<engine::Engine> engine;
  std::vector<std::unique_ptr<wapc::Host>> instances;  // [0] made at load; guarded by Actor::pool
  bool compile_later = false;                          // on the interpreter until native code is compiled (tier_up)
};

struct Host::Actor {
  claims::ModuleClaims claims;  // replaced under both `pool` and Host::mutex_
  std::string claims_token;     // the signed token they came from, likewise
  std::set<std::pair<std::string, std::string>> bindings;
  size_t max_instances = 1;
  limits::Limits limits;  // per call
  std::mutex pool;        // guards what follows
  std::condition_variable released;
  std::shared_ptr<Generation> current;
  struct Idle {
    wapc::Host* instance;
    std::chrono::steady_clock::time_point since;
  };
  std::vector<Idle> idle;  // instances of `current` not in a call, most recently used last
  // Drops instances idle for longer than `timeout`, keeping one: a burst's instances do not
  // hold their memory forever.
  // The first instance is never dropped: new ones are cloned from it outside the lock.
  void release_idle(std::chrono::steady_clock::time_point now, std::chrono::milliseconds timeout) {
    auto& owned = current->instances;
    for (auto entry = idle.begin(); entry != idle.end() && owned.size() > 1 && idle.size() > 1;) {
      if (now - entry->since <= timeout || entry->instance == owned.front().get()) {
        ++entry;
        continue;
      }
      auto found =
          std::find_if(owned.begin(), owned.end(), [&](const auto& kept) { return kept.get() == entry->instance; });
      if (found != owned.end()) owned.erase(found);
      entry = idle.erase(entry);
    }
  }
  size_t being_created = 0;
};

// An instance taken from an actor's pool for one call; returned to the pool when it goes.
class Host::Lease {
 public:
  Lease(Actor& actor, std::shared_ptr<Generation> generation, wapc::Host* instance)
      : actor_(actor), generation_(std::move(generation)), instance_(instance) {}
  ~Lease() {
    std::lock_guard lock(actor_.pool);
    if (generation_ == actor_.current) {  // else it goes with its generation
      actor_.idle.push_back({instance_, std::chrono::steady_clock::now()});
    }
    actor_.released.notify_one();
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  wapc::Host& instance() { return *instance_; }

 private:
  Actor& actor_;
  std::shared_ptr<Generation> generation_;
  wapc::Host* instance_;
};

}  // namespace wascc::actor_host
