// One interface for every capability an actor may call: built-in providers implement it, and
// so will plugins and process providers. Calls arrive already authorized (actor_authorization.h).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/wapc/wapc_host.h"

namespace wascc {

using BindingValues = std::map<std::string, std::string>;

// How a provider invokes an actor (HandleRequest, DeliverMessage): the reply payload, or the
// actor's failure, typed (a deadline, no free instance, a trap, a guest error) so a provider
// can answer each as its protocol does (the HTTP server: 504, 503, 500). Providers get it from
// the host before any actor is bound.
using ActorDispatcher = std::function<Result<Bytes, wapc::CallFailure>(const std::string& actor,
                                                                       std::string_view operation, ByteView payload)>;

class CapabilityProvider {
 public:
  virtual ~CapabilityProvider() = default;
  virtual std::string_view capability_id() const = 0;
  // An actor (its public key) is bound with the binding's values (plus the host's __wascc_*).
  virtual Status bind_actor(const std::string& actor, const BindingValues& values) = 0;
  virtual void remove_actor(const std::string& actor) = 0;
  // One operation from a bound actor: the reply payload, or an error whose message the guest
  // reads as the host error.
  virtual Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) = 0;
  // Providers that deliver to actors keep the dispatcher; the others ignore it.
  virtual void set_dispatcher(ActorDispatcher) {}
  // Stops listeners and connections for good; the host calls it once, after removing actors.
  virtual void stop() {}
  // The binding values it understands, when it knows them all (the built-in providers): the
  // host refuses any other key, so that a typo (PROT=8080) is not silently ignored. nullopt
  // (plugins, process providers): any key passes.
  virtual std::optional<std::vector<std::string_view>> binding_keys() const { return std::nullopt; }
};

}  // namespace wascc
