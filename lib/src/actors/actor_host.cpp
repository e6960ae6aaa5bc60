#include "wascc/actors/actor_host.h"

#include "actors/host_actor.h"

#include <algorithm>
#include <condition_variable>
#include <set>
#include <thread>

#include "wascc/actors/actor_authorization.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/wapc/guest_launch.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/base/unix_time.h"

namespace wascc::actor_host {
namespace {

// Actors executing on this thread, innermost last: a call back into one of them is a cycle
// (upstream dead-locked; we fail fast).
thread_local std::vector<std::string_view> t_call_stack;  // views of keys held by the calls

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// wasmbus.provider.{capid: lower, ':' -> '.', ' ' -> '_'}.{binding}.{actor}, as upstream names it.
std::string provider_subject(const std::string& capability_id, const std::string& binding, const std::string& actor) {
  std::string normalized;
  for (char c : capability_id) {
    normalized.push_back(c == ':'   ? '.'
                         : c == ' ' ? '_'
                                    : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return "wasmbus.provider." + normalized + "." + binding + "." + actor;
}

// The entry for `key` in a map guarded by `mutex`, or null: the actor map's lookups.
template <typename Map>
typename Map::mapped_type find_locked(std::mutex& mutex, const Map& map, const std::string& key) {
  std::lock_guard lock(mutex);
  auto found = map.find(key);
  return found == map.end() ? nullptr : found->second;
}

}  // namespace

Host::Host(Options options) : options_(std::move(options)) {
  if (auto& registry = options_.metrics) {
    registry->describe("wascc_actor_calls_total", "counter", "Calls of actors by operation and outcome");
    registry->describe("wascc_actor_call_duration_seconds", "histogram", "Time of actor calls, host calls included");
    registry->describe("wascc_host_calls_total", "counter", "Host calls of actors by capability and outcome");
    registry->describe("wascc_policy_decisions_total", "counter", "Decisions of the host's authorizer (policy)");
  }
  reaper_ = std::thread([this] { reap_idle_instances(); });
}

Host::~Host() {
  tier_up_cancelled_->store(true);  // background compiles kill their compilers and end
  std::vector<std::thread> tier_ups;
  {
    std::lock_guard lock(mutex_);
    tier_ups.swap(tier_ups_);
  }
  for (auto& thread : tier_ups) thread.join();
  shutdown();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  reaper_wakeup_.notify_all();
  reaper_.join();
}

void Host::reap_idle_instances() {
  const auto timeout = options_.idle_instance_timeout;
  const auto period = std::max(std::chrono::milliseconds(10), timeout / 4);
  std::unique_lock lock(mutex_);
  while (!reaper_wakeup_.wait_for(lock, period, [this] { return stopping_; })) {
    std::vector<std::shared_ptr<Actor>> actors;
    for (const auto& [key, actor] : actors_) actors.push_back(actor);
    lock.unlock();
    const auto now = std::chrono::steady_clock::now();
    for (const auto& actor : actors) {
      std::lock_guard pool(actor->pool);
      actor->release_idle(now, timeout);
    }
    actors.clear();
    lock.lock();
  }
}

BindingValues Host::injected_values(const claims::ModuleClaims& claims) {
  return {{"__wascc_issuer", claims.issuer},
          {"__wascc_capabilities", joined(claims.capabilities.value_or(std::vector<std::string>{}))},
          {"__wascc_name", claims.name.value_or("")},
          {"__wascc_expires", std::to_string(claims.expires.value_or(0))},
          {"__wascc_tags", joined(claims.tags.value_or(std::vector<std::string>{}))}};
}

// The claims of a module this host accepts: verified in full (stricter than waSCC 0.14, which
// skipped the signature), from an allowed issuer, not revoked.
Result<Host::Admitted> Host::admit(ByteView wasm, const std::string& name) {
  module_verification::Policy policy;
  policy.allowed_issuers = options_.allowed_issuers;
  {
    std::lock_guard lock(mutex_);  // set_revoked may replace the list
    policy.revoked = options_.revoked;
  }
  policy.now = options_.now != 0 ? options_.now : unix_time::now();
  auto report = module_verification::verify_module(wasm, policy);
  if (!report) return report.error();
  if (!report->valid()) {
    std::string reasons;
    for (const auto& check : report->checks) {
      if (check.status == module_verification::CheckStatus::Failed)
        reasons += (reasons.empty() ? "" : "; ") + check.message;
    }
    return invalid_error(name + ": actor refused: " + reasons);
  }
  const auto& claims = *report->claims;
  if (options_.authorizer) {
    if (auto allowed = options_.authorizer->can_load(*report, wasm, name); !allowed) {
      return invalid_error(name + ": actor refused: " + allowed.error().message);
    }
  }
  return Admitted{claims, report->token->text};
}

Result<std::shared_ptr<Host::Generation>> Host::instantiate(ByteView wasm, const std::string& name,
                                                            const std::string& key, const limits::Limits& limits) {
  std::string engine_name = options_.engine;
  bool compile_later = false;
  if (engine_name == "auto") {
    engine_name = guest_launch::resolve_auto_engine(wasm, options_.expected_calls, options_.toolchain);
    if (engine_name == "aot" && options_.tier_up && !aot_engine::is_cached(wasm, {}, options_.toolchain)) {
      engine_name = "interp";  // serves now; start_tier_up compiles
      compile_later = true;
    }
  }
  auto generation = make_generation(engine_name, wasm, name, key, limits);
  if (generation) (*generation)->compile_later = compile_later;
  return generation;
}

Result<std::shared_ptr<Host::Generation>> Host::make_generation(std::string_view engine_name, ByteView wasm,
                                                                const std::string& name, const std::string& key,
                                                                const limits::Limits& limits) {
  auto engine = guest_launch::create_engine(engine_name, options_.toolchain);
  if (!engine) return engine.error();
  wapc::Options guest_options;
  guest_options.limits = limits;
  guest_options.log = options_.log;
  guest_options.host_call = [this, key](const wapc::HostCall& call) { return route_host_call(key, call); };
  auto instance = wapc::Host::load(**engine, wasm, name, std::move(guest_options));
  if (!instance) return instance.error();
  auto generation = std::make_shared<Generation>();
  generation->engine = std::move(engine.value());
  generation->instances.push_back(std::move(instance.value()));
  return generation;
}

Result<std::unique_ptr<Host::Lease>> Host::lease(Actor& actor) {
  // Waiting for a busy instance counts against the call's own timeout.
  const auto give_up = std::chrono::steady_clock::now() + actor.limits.timeout;
  std::unique_lock lock(actor.pool);
  for (;;) {
    if (!actor.idle.empty()) {
      wapc::Host* instance = actor.idle.back().instance;
      actor.idle.pop_back();
      return std::make_unique<Lease>(actor, actor.current, instance);
    }
    auto generation = actor.current;
    if (generation->instances.size() + actor.being_created < actor.max_instances) {
      ++actor.being_created;
      const wapc::Host* origin = generation->instances.front().get();  // never dropped (release_idle)
      lock.unlock();
      auto made = origin->another_instance();  // reads only what never changes
      lock.lock();
      --actor.being_created;
      if (!made) {
        actor.released.notify_one();
        return made.error();
      }
      wapc::Host* instance = made->get();
      generation->instances.push_back(std::move(made.value()));
      return std::make_unique<Lease>(actor, std::move(generation), instance);
    }
    if (actor.released.wait_until(lock, give_up) == std::cv_status::timeout) {
      return invalid_error("every instance of the actor stayed busy for the call's timeout (" +
                           std::to_string(actor.limits.timeout.count()) + " ms)");
    }
  }
}

size_t Host::default_max_instances() const {
  if (options_.max_instances > 0) return options_.max_instances;
  return std::max(1u, std::thread::hardware_concurrency());
}

Result<std::string> Host::add_actor(ByteView wasm, const std::string& name, const ActorOptions& actor_options) {
  auto admitted = admit(wasm, name);
  if (!admitted) return admitted.error();
  auto& claims = admitted->claims;
  const std::string key = claims.subject;
  {
    std::lock_guard lock(mutex_);
    if (actors_.count(key)) return invalid_error(name + ": actor " + key + " is already in this host");
  }
  if (claims.call_alias) {
    if (auto taken = actor_with_alias(*claims.call_alias)) {
      return invalid_error(name + ": call alias " + *claims.call_alias + " is already taken by actor " + *taken);
    }
  }
  const limits::Limits limits = actor_options.limits.value_or(options_.limits);
  auto generation = instantiate(wasm, name, key, limits);
  if (!generation) return generation.error();
  auto actor = std::make_shared<Actor>();
  actor->claims = std::move(claims);
  actor->claims_token = std::move(admitted->token);
  actor->limits = limits;
  actor->max_instances = actor_options.max_instances > 0 ? actor_options.max_instances : default_max_instances();
  actor->current = std::move(generation.value());
  actor->idle.push_back({actor->current->instances.front().get(), std::chrono::steady_clock::now()});
  {
    std::lock_guard lock(mutex_);
    actors_[key] = actor;
  }
  if (actor->current->compile_later) start_tier_up(key, actor, actor->current, wasm, name);
  const auto& caps = actor->claims.capabilities.value_or(std::vector<std::string>{});
  const bool wants_extras = std::find(caps.begin(), caps.end(), "wascc:extras") != caps.end();
  bool have_extras = false;
  {
    std::lock_guard lock(mutex_);
    have_extras = providers_.count({"wascc:extras", "default"}) != 0;
  }
  if (wants_extras && have_extras) {
    if (auto bound = bind(key, "wascc:extras", "default", {}); !bound) return bound.error();
  }
  return key;
}

Status Host::replace_actor(const std::string& key, ByteView wasm, const std::string& name) {
  std::shared_ptr<Actor> actor;
  {
    std::lock_guard lock(mutex_);
    auto found = actors_.find(key);
    if (found == actors_.end()) return input_error("no actor " + key + " in this host");
    actor = found->second;
  }
  auto admitted = admit(wasm, name);
  if (!admitted) return admitted.error();
  const auto& claims = admitted->claims;
  if (claims.subject != key) {
    return invalid_error(name + ": the new module's subject " + claims.subject + " is not the running actor's " + key);
  }
  std::set<std::pair<std::string, std::string>> bindings;
  {
    std::lock_guard lock(mutex_);
    bindings = actor->bindings;
  }
  for (const auto& [capability_id, binding] : bindings) {
    auto decision = actor_authorization::check_binding(claims, capability_id);
    if (!decision.allowed)
      return invalid_error(name + ": the new module no longer claims " + capability_id + ", which it is bound to");
  }
  auto generation = instantiate(wasm, name, key, actor->limits);
  if (!generation) return generation.error();
  // Calls in flight finish on the old generation; every call after this one uses the new.
  std::lock_guard pool(actor->pool);
  {
    std::lock_guard lock(mutex_);  // actor_with_alias reads claims under it
    actor->claims = std::move(admitted->claims);
    actor->claims_token = std::move(admitted->token);
  }
  actor->current = std::move(generation.value());
  actor->idle.assign({{actor->current->instances.front().get(), std::chrono::steady_clock::now()}});
  actor->released.notify_all();
  if (actor->current->compile_later) start_tier_up(key, actor, actor->current, wasm, name);
  return ok_status();
}

Status Host::add_provider(std::shared_ptr<CapabilityProvider> provider, const std::string& binding) {
  const std::string capability_id(provider->capability_id());
  {
    std::lock_guard lock(mutex_);
    if (providers_.count({capability_id, binding})) {
      return input_error("a provider of " + capability_id + " with binding \"" + binding +
                         "\" is already in this host");
    }
  }
  const actor_authorization::Target origin{actor_authorization::Target::Kind::Capability, capability_id, binding};
  provider->set_dispatcher([this, origin](const std::string& actor, std::string_view operation,
                                          ByteView payload) -> Result<Bytes, wapc::CallFailure> {
    auto reply = dispatch(origin, actor, operation, payload);
    if (!reply) {
      auto failure = reply.error();
      failure.message = "failed to invoke actor: Guest call failure: " + failure.message;
      return failure;
    }
    return std::move(reply.value());
  });
  std::lock_guard lock(mutex_);
  providers_[{capability_id, binding}] = std::move(provider);
  return ok_status();
}

Status Host::remove_actor(const std::string& key) {
  std::shared_ptr<Actor> actor;
  std::vector<std::shared_ptr<CapabilityProvider>> bound;
  {
    std::lock_guard lock(mutex_);
    auto found = actors_.find(key);
    if (found == actors_.end()) return input_error("no actor " + key + " in this host");
    actor = found->second;
    for (const auto& pair : actor->bindings) {
      if (auto provider = providers_.find(pair); provider != providers_.end()) bound.push_back(provider->second);
    }
  }
  // Providers first, so that no new request reaches the actor while it goes.
  for (const auto& provider : bound) provider->remove_actor(key);
  std::lock_guard lock(mutex_);
  actors_.erase(key);
  std::erase_if(links_, [&](const auto& link) { return std::get<0>(link.first) == key; });
  return ok_status();
}

Status Host::authorize(const std::string& caller, const claims::ModuleClaims& caller_claims,
                       const actor_authorization::Target& target, std::string_view operation,
                       const std::optional<std::string>& target_actor) {
  if (!options_.authorizer) return ok_status();
  std::optional<claims::ModuleClaims> target_claims;
  if (target_actor) {
    std::lock_guard lock(mutex_);
    if (auto found = actors_.find(*target_actor); found != actors_.end()) target_claims = found->second->claims;
  }
  auto allowed = options_.authorizer->can_invoke(caller, caller_claims, target, operation, target_claims);
  if (options_.metrics)
    options_.metrics->add("wascc_policy_decisions_total", {{"decision", allowed ? "allow" : "deny"}});
  if (!allowed && options_.log) options_.log(wapc::LogSource::Stderr, allowed.error().message);
  return allowed;
}

std::optional<std::string> Host::actor_with_alias(const std::string& alias) {
  std::lock_guard lock(mutex_);
  for (const auto& [key, actor] : actors_) {
    if (actor->claims.call_alias && *actor->claims.call_alias == alias) return key;
  }
  return std::nullopt;
}

std::optional<claims::ModuleClaims> Host::claims_of(const std::string& key) {
  auto actor = find_locked(mutex_, actors_, key);
  if (!actor) return std::nullopt;
  std::lock_guard pool(actor->pool);  // a live update replaces the claims under this lock
  return actor->claims;
}

std::vector<std::string> Host::set_revoked(std::vector<std::string> revoked) {
  std::vector<std::string> removed;
  {
    std::lock_guard lock(mutex_);
    options_.revoked = std::move(revoked);
    for (const auto& [key, actor] : actors_) {
      const auto& list = options_.revoked;
      const bool listed =
          std::find(list.begin(), list.end(), key) != list.end() ||
          (!actor->claims.jti.empty() && std::find(list.begin(), list.end(), actor->claims.jti) != list.end());
      if (listed) removed.push_back(key);
    }
  }
  for (const auto& key : removed) (void)remove_actor(key);
  return removed;
}

std::optional<Host::PoolSize> Host::pool_size(const std::string& key) {
  auto actor = find_locked(mutex_, actors_, key);
  if (!actor) return std::nullopt;
  std::lock_guard pool(actor->pool);
  return PoolSize{actor->current->instances.size(), actor->idle.size()};
}

void Host::shutdown() {
  std::vector<std::string> keys;
  std::vector<std::shared_ptr<CapabilityProvider>> providers;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, actor] : actors_) keys.push_back(key);
    for (const auto& [pair, provider] : providers_) providers.push_back(provider);
  }
  for (const auto& key : keys) (void)remove_actor(key);
  unbind_remote_actors();
  for (const auto& provider : providers) provider->stop();
  std::lock_guard lock(mutex_);
  providers_.clear();
}

Status Host::bind(const std::string& actor_key, const std::string& capability_id, const std::string& binding,
                  BindingValues values) {
  std::shared_ptr<Actor> actor;
  std::shared_ptr<CapabilityProvider> provider;
  std::shared_ptr<RemoteRoutes> routes;
  {
    std::lock_guard lock(mutex_);
    if (auto found = actors_.find(actor_key); found != actors_.end()) actor = found->second;
    routes = remote_routes_.lock();
    if (auto found = providers_.find({capability_id, binding}); found != providers_.end()) provider = found->second;
  }
  // An actor of another runner: its provider here delivers to it there (the lattice).
  std::optional<claims::ModuleClaims> claims = actor    ? std::optional(actor->claims)
                                               : routes ? routes->claims_of(actor_key)
                                                        : std::nullopt;
  if (!claims) {
    return input_error("no actor " + actor_key + (routes ? " in this host or its lattice" : " in this host"));
  }
  if (!provider) return input_error("no provider of " + capability_id + " with binding \"" + binding + "\"");
  auto decision = actor_authorization::check_binding(*claims, capability_id);
  if (!decision.allowed) return invalid_error(decision.denial);
  if (auto known = provider->binding_keys()) {
    for (const auto& [key, value] : values) {
      if (std::find(known->begin(), known->end(), key) != known->end()) continue;
      std::string names;
      for (auto name : *known) names += (names.empty() ? "" : ", ") + std::string(name);
      return input_error(capability_id + ": unknown binding value " + key +
                         (names.empty() ? " (it takes none)" : " (it takes " + names + ")"));
    }
  }
  BindingValues own_values = values;
  for (auto& [key, value] : injected_values(*claims)) values[key] = value;
  if (auto bound = provider->bind_actor(actor_key, values); !bound) return bound;
  std::lock_guard lock(mutex_);
  (actor ? actor->bindings : remote_bindings_[actor_key]).insert({capability_id, binding});
  links_[{actor_key, capability_id, binding}] = std::move(own_values);
  return ok_status();
}

Result<Bytes, wapc::CallFailure> Host::call_actor(const std::string& actor_key, std::string_view operation,
                                                  ByteView payload) {
  // A call made while an actor runs on this thread comes from that actor.
  const actor_authorization::Target origin =
      t_call_stack.empty()
          ? actor_authorization::Target{actor_authorization::Target::Kind::Capability, "wascc:host", "default"}
          : actor_authorization::Target{actor_authorization::Target::Kind::Actor, std::string(t_call_stack.back()), ""};
  return dispatch(origin, actor_key, operation, payload);
}

Result<Bytes, wapc::CallFailure> Host::dispatch(const actor_authorization::Target& origin, const std::string& actor_key,
                                                std::string_view operation, ByteView payload) {
  if (!find_locked(mutex_, actors_, actor_key)) {
    if (auto routes = remote_routes()) return routes->call_actor(origin, actor_key, operation, payload);
  }
  return call_local_actor(actor_key, operation, payload);
}

Result<Bytes, wapc::CallFailure> Host::call_local_actor(const std::string& actor_key, std::string_view operation,
                                                        ByteView payload) {
  auto actor = find_locked(mutex_, actors_, actor_key);
  if (!actor) return wapc::CallFailure{wapc::FailureKind::HostRefused, "no actor " + actor_key + " in this host", {}};
  if (std::find(t_call_stack.begin(), t_call_stack.end(), actor_key) != t_call_stack.end()) {
    return wapc::CallFailure{
        wapc::FailureKind::HostRefused, "call cycle: actor " + actor_key + " is already handling a call", {}};
  }
  const auto started = std::chrono::steady_clock::now();
  auto leased = lease(*actor);
  if (!leased) return wapc::CallFailure{wapc::FailureKind::Unavailable, leased.error().message, {}};
  t_call_stack.push_back(actor_key);
  auto reply = (*leased)->instance().call(operation, payload);
  t_call_stack.pop_back();
  if (options_.metrics) {
    const std::string outcome = reply ? "ok" : std::string(wapc::failure_kind_name(reply.error().kind));
    const std::string op(operation);
    options_.metrics->add("wascc_actor_calls_total", {{"actor", actor_key}, {"operation", op}, {"outcome", outcome}});
    options_.metrics->observe("wascc_actor_call_duration_seconds", {{"actor", actor_key}, {"operation", op}},
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
  return reply;
}

Result<Bytes> Host::route_host_call(const std::string& caller_key, const wapc::HostCall& call) {
  auto outcome = answer_host_call(caller_key, call);
  if (options_.metrics) {
    options_.metrics->add(
        "wascc_host_calls_total",
        {{"actor", caller_key}, {"capability", call.namespace_}, {"outcome", outcome ? "ok" : "error"}});
  }
  if (options_.on_host_call) options_.on_host_call(HostCallEvent{caller_key, call, outcome});
  return outcome;
}

std::shared_ptr<CapabilityProvider> Host::provider(const std::string& capability_id, const std::string& binding) {
  std::lock_guard lock(mutex_);
  auto found = providers_.find({capability_id, binding});
  return found == providers_.end() ? nullptr : found->second;
}

Result<Bytes> Host::answer_host_call(const std::string& caller_key, const wapc::HostCall& call) {
  std::shared_ptr<Actor> caller;
  {
    std::lock_guard lock(mutex_);
    caller = actors_.at(caller_key);
  }
  auto target = actor_authorization::resolve_target(call.binding, call.namespace_);
  // wasmCloud 0.17's call alias: another actor by the alias its claims register, allowed
  // without a caps entry (waSCC itself knew only the callee's key as a "capability").
  if (target.kind == actor_authorization::Target::Kind::Capability) {
    auto aliased = actor_with_alias(target.id);
    if (auto routes = remote_routes(); !aliased && routes) aliased = routes->actor_with_alias(target.id);
    if (aliased) {
      if (auto allowed = authorize(caller_key, caller->claims, target, call.operation, aliased); !allowed)
        return allowed.error();
      auto reply = call_actor(*aliased, call.operation, call.payload);
      if (!reply) return invalid_error("Invocation failure: " + reply.error().message);
      return reply.value();
    }
  }
  auto decision = actor_authorization::check_host_call(caller->claims, target, call.operation);
  if (!decision.allowed) {
    // The Rust SDK logs through wascc:logging on every call; those denials are expected noise.
    if (target.id != "wascc:logging" && options_.log) options_.log(wapc::LogSource::Stderr, decision.denial);
    return invalid_error(decision.denial);
  }
  const bool to_actor = target.kind == actor_authorization::Target::Kind::Actor;
  if (auto allowed = authorize(caller_key, caller->claims, target, call.operation,
                               to_actor ? std::optional(target.id) : std::nullopt);
      !allowed) {
    return allowed.error();
  }
  if (to_actor) {
    auto reply = call_actor(target.id, call.operation, call.payload);
    if (!reply) return invalid_error("Invocation failure: " + reply.error().message);
    return reply.value();
  }
  std::shared_ptr<CapabilityProvider> provider;
  {
    std::lock_guard lock(mutex_);
    if (caller->bindings.count({target.id, target.binding})) provider = providers_[{target.id, target.binding}];
  }
  if (!provider) {
    if (auto routes = remote_routes()) return routes->call_provider(caller_key, target, call.operation, call.payload);
    // Upstream's words first (guests may match them), then what to do about it.
    const std::string bind = target.id + (target.binding == "default" ? "" : "@" + target.binding);
    return invalid_error("Attempted bus call for " + provider_subject(target.id, target.binding, caller_key) +
                         " with no subscribers (no provider of " + bind + " is bound to this actor: add --bind " +
                         bind + " or a manifest binding)");
  }
  return provider->handle_call(caller_key, call.operation, call.payload);
}

}  // namespace wascc::actor_host
