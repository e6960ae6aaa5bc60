// The core of the waSCC actor runner: signed actors (claims verified in full at load),
// capability providers under (contract id, binding), bindings gated by the claims, and every
// host call routed by waSCC 0.14's rules (actor_authorization.h) to a bound provider or
// another actor. Each actor has a pool of instances (compiled once, instantiated on demand up to
// its max_instances), each instance serial: a stateless actor serves on every core. A trapped
// instance is re-created by the waPC host.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "wascc/actors/actor_authorization.h"
#include "wascc/actors/capability_provider.h"
#include "wascc/base/metrics.h"
#include "wascc/wascap/claims.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/engine/limits.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/wapc/wapc_host.h"

namespace wascc::actor_host {

// A pluggable authorizer (waSCC 0.11's Authorizer trait): it runs after the built-in claims
// checks and can only restrict. Errors carry the refusal's text.
class Authorizer {
 public:
  virtual ~Authorizer() = default;
  // At load, once the claims verified; `report` is the full verification.
  virtual Status can_load(const module_verification::Report& report, ByteView wasm, const std::string& name) = 0;
  // Every host call the claims allow; `target_claims` when the callee is an actor.
  virtual Status can_invoke(const std::string& caller, const claims::ModuleClaims& caller_claims,
                            const actor_authorization::Target& target, std::string_view operation,
                            const std::optional<claims::ModuleClaims>& target_claims) = 0;
};

// One host call an actor made and how it ended, for observers (wascc test's expectations).
struct HostCallEvent {
  std::string caller;  // the actor's public key
  const wapc::HostCall& call;
  const Result<Bytes>& outcome;
};

struct Options {
  std::string engine = "auto";
  // For "auto": a long-running host compiles to native code, a one-shot call does not.
  uint64_t expected_calls = 1000;
  limits::Limits limits;
  std::vector<std::string> allowed_issuers;  // empty: any issuer
  std::vector<std::string> revoked;          // subjects (M...) or token ids (jti) refused at load
  uint64_t now = 0;                          // for exp/nbf (0: the clock)
  aot_engine::Toolchain toolchain;           // for the aot engine
  wapc::LogSink log;
  // Hears every host call after it is answered, on the calling actor's thread.
  std::function<void(const HostCallEvent&)> on_host_call;
  std::shared_ptr<Authorizer> authorizer;  // none: the claims decide alone
  size_t max_instances = 0;                // per actor unless add_actor says; 0: one per core
  // When set, the host counts into it: wascc_actor_calls_total{actor,operation,outcome},
  // wascc_actor_call_duration_seconds{actor,operation}, wascc_host_calls_total{actor,
  // capability,outcome}, wascc_policy_decisions_total{decision}.
  std::shared_ptr<metrics::Registry> metrics;
  // An instance idle this long is dropped (one per actor is kept).
  std::chrono::milliseconds idle_instance_timeout{60'000};
  // For "auto" when native code is wanted but not cached: serve on the interpreter at once
  // and compile in the background; each actor moves to native code between two calls when
  // its compile is done (a failed compile leaves the interpreter serving, and says why).
  // Off: wait for the compile before the actor serves.
  bool tier_up = true;
  // What the host tells its operator (an actor moved to native code, a compile failed).
  std::function<void(const std::string&)> notice;
};

// Where a host sends the calls it cannot answer itself: actors and providers on other runners
// of a lattice (runner/lattice.h). `origin` is the caller: an actor, or a provider delivering.
class RemoteRoutes {
 public:
  virtual ~RemoteRoutes() = default;
  // The verified claims of an actor that runs on another runner, when the lattice knows it.
  virtual std::optional<claims::ModuleClaims> claims_of(const std::string& actor) = 0;
  // The actor of another runner whose claims register `alias` (wasmCloud's call alias).
  virtual std::optional<std::string> actor_with_alias(const std::string& alias) = 0;
  virtual Result<Bytes, wapc::CallFailure> call_actor(const actor_authorization::Target& origin,
                                                      const std::string& actor, std::string_view operation,
                                                      ByteView payload) = 0;
  // A provider that another runner has bound to `actor` (a local actor of this host).
  virtual Result<Bytes> call_provider(const std::string& actor, const actor_authorization::Target& provider,
                                      std::string_view operation, ByteView payload) = 0;
};

// What one actor may differ in from the host's options (a manifest's actor entry).
struct ActorOptions {
  size_t max_instances = 0;              // 0: Options::max_instances
  std::optional<limits::Limits> limits;  // none: Options::limits
};

// A binding as the lattice publishes it (wasmCloud's link definition): the actor, the
// provider's contract id and binding (link) name, and the values it was bound with, without
// the __wascc_* keys the host adds.
struct LinkDefinition {
  std::string actor_id;
  std::string contract_id;
  std::string link_name;
  BindingValues values;
  bool operator==(const LinkDefinition&) const = default;
};

class Host {
 public:
  explicit Host(Options options);
  ~Host();

  // Verifies the claims (signature, hash, exp, nbf, key types, allow-list) and loads the actor;
  // returns its public key. A refused actor is named with every reason. An actor whose claims
  // list wascc:extras is bound to the extras provider, if one was added, as upstream does.
  Result<std::string> add_actor(ByteView wasm, const std::string& name, const ActorOptions& actor_options = {});

  // Registers a provider under (its contract id, binding) and gives it the host's dispatcher;
  // a second provider for the same pair is refused, as upstream.
  Status add_provider(std::shared_ptr<CapabilityProvider> provider, const std::string& binding = "default");

  // Unbinds the actor from every provider (RemoveActor) and drops it.
  Status remove_actor(const std::string& actor);

  // Live update (wascc run --watch): the new module must verify and carry the same subject and
  // still claim every capability the actor is bound to; the old instances serve until then, and
  // calls in flight finish on them while new calls start on the new module's own instances.
  Status replace_actor(const std::string& actor, ByteView wasm, const std::string& name);

  // Replaces the revocation list (wascc run --watch): actors loaded from now on are checked
  // against it, and running actors it names are removed. Returns those removed.
  std::vector<std::string> set_revoked(std::vector<std::string> revoked);

  // The provider under (capability, binding), for tools that seed or read its state.
  std::shared_ptr<CapabilityProvider> provider(const std::string& capability_id,
                                               const std::string& binding = "default");

  // How many instances an actor has now, and how many of them are idle.
  struct PoolSize {
    size_t instances = 0, idle = 0;
  };
  std::optional<PoolSize> pool_size(const std::string& actor);
  // The engine an actor's new calls run on now ("interp" or "aot").
  std::optional<std::string> engine_of(const std::string& actor);

  const Options& options() const { return options_; }

  // The claims of a loaded actor.
  std::optional<claims::ModuleClaims> claims_of(const std::string& actor);

  // Removes every actor, then stops every provider. Idempotent; the destructor calls it.
  void shutdown();

  // Binds an actor to (capability, binding) with `values` plus the host's __wascc_* keys.
  Status bind(const std::string& actor, const std::string& capability_id, const std::string& binding,
              BindingValues values);

  // An actor of this host, or (with remote routes) of the lattice. The caller is the actor
  // running on this thread, or else the host itself ("wascc:host": a tool, a scenario).
  Result<Bytes, wapc::CallFailure> call_actor(const std::string& actor, std::string_view operation, ByteView payload);

  // The lattice's side (runner/lattice.h). Calls that leave this host go to `routes` (set it
  // before binding actors of other runners; null to detach). The host does not own them: the
  // lattice detaches itself when it leaves, and must leave before the host goes. Bindings may then name an actor
  // the lattice knows: its provider here delivers to it there.
  void set_remote_routes(std::shared_ptr<RemoteRoutes> routes);
  // An invocation from another runner, once the lattice verified it and authorize_call
  // allowed it: an actor of this host only (never forwarded again), or the provider
  // (capability, binding) of this host bound to `actor`.
  Result<Bytes, wapc::CallFailure> call_local_actor(const std::string& actor, std::string_view operation,
                                                    ByteView payload);
  // The host's authorizer (the policy) on a call by an actor of another runner.
  Status authorize_call(const std::string& caller, const claims::ModuleClaims& caller_claims,
                        const actor_authorization::Target& target, std::string_view operation);
  Result<Bytes> call_bound_provider(const std::string& actor, const claims::ModuleClaims& actor_claims,
                                    const actor_authorization::Target& provider, std::string_view operation,
                                    ByteView payload);
  // The signed claims token an actor was loaded with, for the lattice's heartbeats.
  std::optional<std::string> claims_token_of(const std::string& actor);
  std::vector<std::string> actor_keys();
  std::vector<std::pair<std::string, std::string>> provider_keys();  // (capability, binding)
  // Every binding this host made, actors of other runners included, in a stable order.
  std::vector<LinkDefinition> links();

  // The values a provider receives at bind time besides the binding's own (upstream's keys).
  static BindingValues injected_values(const claims::ModuleClaims& claims);

 private:
  struct Actor;
  Result<Bytes, wapc::CallFailure> dispatch(const actor_authorization::Target& origin, const std::string& actor,
                                            std::string_view operation, ByteView payload);
  std::shared_ptr<RemoteRoutes> remote_routes();
  void unbind_remote_actors();
  Result<Bytes> route_host_call(const std::string& caller, const wapc::HostCall& call);
  Result<Bytes> answer_host_call(const std::string& caller, const wapc::HostCall& call);
  std::optional<std::string> actor_with_alias(const std::string& alias);
  Status authorize(const std::string& caller, const claims::ModuleClaims& caller_claims,
                   const actor_authorization::Target& target, std::string_view operation,
                   const std::optional<std::string>& target_actor);
  struct Admitted {
    claims::ModuleClaims claims;
    std::string token;
  };
  Result<Admitted> admit(ByteView wasm, const std::string& name);
  struct Generation;
  class Lease;
  Result<std::shared_ptr<Generation>> instantiate(ByteView wasm, const std::string& name, const std::string& key,
                                                  const limits::Limits& limits);
  Result<std::shared_ptr<Generation>> make_generation(std::string_view engine_name, ByteView wasm,
                                                      const std::string& name, const std::string& key,
                                                      const limits::Limits& limits);
  // The background compile of an actor that serves on the interpreter until it is done.
  void start_tier_up(const std::string& key, const std::shared_ptr<Actor>& actor,
                     const std::shared_ptr<Generation>& interpreted, ByteView wasm, const std::string& name);
  Result<std::unique_ptr<Lease>> lease(Actor& actor);  // waits while every instance is busy
  size_t default_max_instances() const;

  void reap_idle_instances();  // the reaper thread's loop

  Options options_;
  std::mutex mutex_;  // guards the maps and stopping_; calls into actors and providers happen outside it
  std::map<std::string, std::shared_ptr<Actor>> actors_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<CapabilityProvider>> providers_;
  std::weak_ptr<RemoteRoutes> remote_routes_;  // not owned (see set_remote_routes)
  // Actors of other runners bound to providers of this host: key -> (capability, binding).
  std::map<std::string, std::set<std::pair<std::string, std::string>>> remote_bindings_;
  // What each binding was made with: (actor, capability, binding) -> its own values.
  std::map<std::tuple<std::string, std::string, std::string>, BindingValues> links_;
  bool stopping_ = false;
  std::condition_variable reaper_wakeup_;
  // Background compiles (tier_up): cancelled and joined when the host goes.
  std::shared_ptr<std::atomic<bool>> tier_up_cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::thread> tier_ups_;  // guarded by mutex_
  std::thread reaper_;                 // started last, joined first
};

}  // namespace wascc::actor_host
