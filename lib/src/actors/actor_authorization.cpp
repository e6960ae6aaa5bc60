#include "wascc/actors/actor_authorization.h"

#include <algorithm>

namespace wascc::actor_authorization {
namespace {

bool looks_like_actor_key(std::string_view text) { return text.size() == 56 && text[0] == 'M'; }

bool claims_list(const claims::ModuleClaims& claims, std::string_view capability) {
  if (!claims.capabilities) return false;
  return std::find(claims.capabilities->begin(), claims.capabilities->end(), capability) != claims.capabilities->end();
}

}  // namespace

Target resolve_target(std::string_view binding, std::string_view namespace_) {
  Target target;
  target.kind = looks_like_actor_key(namespace_) ? Target::Kind::Actor : Target::Kind::Capability;
  target.id = std::string(namespace_);
  target.binding = binding.empty() ? "default" : std::string(binding);
  return target;
}

Decision check_host_call(const claims::ModuleClaims& caller, const Target& target, std::string_view operation) {
  if (claims_list(caller, target.id) || target.id == caller.subject) return {true, ""};
  return {false, "WebAssembly module authorization failure: Actor " + caller.subject + " attempted to call " +
                     std::string(operation) + " on " + target.id + "," + target.binding + " - PERMISSION DENIED."};
}

Decision check_binding(const claims::ModuleClaims& actor, std::string_view capability_id) {
  if (claims_list(actor, capability_id)) return {true, ""};
  return {false, "Unauthorized binding: actor " + actor.subject + " is not authorized to use capability " +
                     std::string(capability_id) + "."};
}

}  // namespace wascc::actor_authorization
