// Who an actor's host call goes to, and whether its signed claims allow it — waSCC 0.14's
// rules, which cannot be relaxed (a policy may only deny further):
//  - an empty binding means "default";
//  - a namespace of 56 characters starting with 'M' is another actor's public key;
//  - the call is allowed iff the caller's claims list the namespace (a capability id, or the
//    callee's key for actor-to-actor calls) or the namespace is the caller's own key.
#pragma once

#include <string>
#include <string_view>

#include "wascc/wascap/claims.h"

namespace wascc::actor_authorization {

struct Target {
  enum class Kind { Actor, Capability } kind = Kind::Capability;
  std::string id;       // the actor's public key, or the capability contract id
  std::string binding;  // "default" when the guest sent ""
};

Target resolve_target(std::string_view binding, std::string_view namespace_);

struct Decision {
  bool allowed = false;
  std::string denial;  // upstream's text, for the guest's __host_error
};

// The claims check of a host call (waSCC 0.14, §3.2 of the notes).
[[nodiscard]] Decision check_host_call(const claims::ModuleClaims& caller, const Target& target,
                                       std::string_view operation);

// The claims check of a binding: "Unauthorized binding: actor {pk} is not authorized to use
// capability {capid}."
[[nodiscard]] Decision check_binding(const claims::ModuleClaims& actor, std::string_view capability_id);

}  // namespace wascc::actor_authorization
