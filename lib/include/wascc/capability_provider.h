// One interface for every capability an actor may call: built-in providers implement it, and
// so will plugins and process providers. Calls arrive already authorized (actor_authorization.h).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "wascc/bytes_io.h"
#include "wascc/result.h"

namespace wascc {

using BindingValues = std::map<std::string, std::string>;

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
};

}  // namespace wascc
