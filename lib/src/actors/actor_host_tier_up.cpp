// Tier-up: an actor whose native code is not cached serves on the interpreter from its first
// call while the module compiles in the background; between two calls its pool switches to a
// native generation, as a live update does (calls in flight finish on the interpreter).
#include <chrono>
#include <thread>

#include "actors/host_actor.h"
#include "wascc/actors/actor_host.h"
#include "wascc/engine/aot_engine.h"

namespace wascc::actor_host {

void Host::start_tier_up(const std::string& key, const std::shared_ptr<Actor>& actor,
                         const std::shared_ptr<Generation>& interpreted, ByteView wasm, const std::string& name) {
  aot_engine::Toolchain toolchain = options_.toolchain;
  toolchain.cancelled = tier_up_cancelled_;  // the host's destructor stops the compile and joins
  auto compile = [this, key, actor, weak = std::weak_ptr<Generation>(interpreted),
                  module = Bytes(wasm.begin(), wasm.end()), name, toolchain] {
    auto say = [this](const std::string& text) {
      if (options_.notice) options_.notice(text);
    };
    const auto started = std::chrono::steady_clock::now();
    auto compiled = aot_engine::precompile(module, name, {}, toolchain);
    if (tier_up_cancelled_->load()) return;
    if (!compiled) return say(name + ": stays on the interpreter: native compile failed: " + compiled.error().message);
    {
      std::lock_guard pool(actor->pool);
      if (actor->current != weak.lock()) return;  // replaced meanwhile: its own tier-up follows
    }
    auto generation = make_generation("aot", module, name, key, actor->limits);
    if (!generation) return say(name + ": stays on the interpreter: " + generation.error().message);
    {
      std::lock_guard pool(actor->pool);
      if (actor->current != weak.lock()) return;
      actor->current = std::move(generation.value());
      actor->idle.assign({{actor->current->instances.front().get(), std::chrono::steady_clock::now()}});
      actor->released.notify_all();
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    say(name + ": now on native code (compiled in " + std::to_string(took.count()) +
        " ms while the interpreter served)");
  };
  std::lock_guard lock(mutex_);
  if (tier_up_cancelled_->load()) return;
  tier_ups_.emplace_back(std::move(compile));
}

std::optional<std::string> Host::engine_of(const std::string& key) {
  std::shared_ptr<Actor> actor;
  {
    std::lock_guard lock(mutex_);
    auto found = actors_.find(key);
    if (found == actors_.end()) return std::nullopt;
    actor = found->second;
  }
  std::lock_guard pool(actor->pool);
  return std::string(actor->current->engine->name());
}

}  // namespace wascc::actor_host
