// The host's side of a lattice (runner/lattice.h): what other runners may ask of it, and
// what it tells them about itself.
#include "wascc/actors/actor_host.h"

#include "actors/host_actor.h"

namespace wascc::actor_host {

void Host::set_remote_routes(std::shared_ptr<RemoteRoutes> routes) {
  std::lock_guard lock(mutex_);
  remote_routes_ = std::move(routes);
}

std::shared_ptr<RemoteRoutes> Host::remote_routes() {
  std::lock_guard lock(mutex_);
  return remote_routes_.lock();
}

void Host::unbind_remote_actors() {
  std::vector<std::pair<std::string, std::shared_ptr<CapabilityProvider>>> bound;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [actor, bindings] : remote_bindings_) {
      for (const auto& pair : bindings) {
        if (auto provider = providers_.find(pair); provider != providers_.end()) {
          bound.emplace_back(actor, provider->second);
        }
      }
    }
    for (const auto& remote : remote_bindings_) {  // (clang 14 cannot capture a structured binding)
      std::erase_if(links_, [&](const auto& link) { return std::get<0>(link.first) == remote.first; });
    }
    remote_bindings_.clear();
  }
  for (const auto& [actor, provider] : bound) provider->remove_actor(actor);
}

std::vector<LinkDefinition> Host::links() {
  std::lock_guard lock(mutex_);
  std::vector<LinkDefinition> out;
  for (const auto& [key, values] : links_) {
    const auto& [actor, capability, binding] = key;
    out.push_back({actor, capability, binding, values});
  }
  return out;
}

Status Host::authorize_call(const std::string& caller, const claims::ModuleClaims& caller_claims,
                            const actor_authorization::Target& target, std::string_view operation) {
  const bool to_actor = target.kind == actor_authorization::Target::Kind::Actor;
  return authorize(caller, caller_claims, target, operation, to_actor ? std::optional(target.id) : std::nullopt);
}

Result<Bytes> Host::call_bound_provider(const std::string& actor, const claims::ModuleClaims& actor_claims,
                                        const actor_authorization::Target& target, std::string_view operation,
                                        ByteView payload) {
  std::shared_ptr<CapabilityProvider> provider;
  {
    std::lock_guard lock(mutex_);
    const std::pair<std::string, std::string> pair{target.id, target.binding};
    bool bound = false;
    if (auto found = actors_.find(actor); found != actors_.end()) bound = found->second->bindings.count(pair) != 0;
    if (auto found = remote_bindings_.find(actor); found != remote_bindings_.end()) {
      bound = bound || found->second.count(pair) != 0;
    }
    if (bound) provider = providers_[pair];
  }
  if (!provider) {
    return invalid_error("no provider of " + target.id + " with binding \"" + target.binding + "\" is bound to actor " +
                         actor + " on this runner");
  }
  auto decision = actor_authorization::check_host_call(actor_claims, target, operation);
  if (!decision.allowed) return invalid_error(decision.denial);
  return provider->handle_call(actor, operation, payload);
}

std::optional<std::string> Host::claims_token_of(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto found = actors_.find(key);
  if (found == actors_.end()) return std::nullopt;
  return found->second->claims_token;
}

std::vector<std::string> Host::actor_keys() {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  for (const auto& [key, actor] : actors_) keys.push_back(key);
  return keys;
}

std::vector<std::pair<std::string, std::string>> Host::provider_keys() {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto& [pair, provider] : providers_) keys.push_back(pair);
  return keys;
}

}  // namespace wascc::actor_host
