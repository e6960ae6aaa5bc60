// A capability with an embedded default and a real server behind it, chosen per binding as
// upstream's providers were configured: an actor bound with a URL value is served by the
// server-backed provider (Redis, NATS), every other actor by the embedded one.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wascc/actors/capability_provider.h"

namespace wascc {

class EmbeddedOrServer : public CapabilityProvider {
 public:
  EmbeddedOrServer(std::shared_ptr<CapabilityProvider> embedded, std::shared_ptr<CapabilityProvider> server);

  std::string_view capability_id() const override { return embedded_->capability_id(); }
  // What either side understands (URL chooses the server).
  std::optional<std::vector<std::string_view>> binding_keys() const override;
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;
  void set_dispatcher(ActorDispatcher dispatcher) override;
  void stop() override;

  CapabilityProvider& embedded() { return *embedded_; }

 private:
  std::shared_ptr<CapabilityProvider> provider_of(const std::string& actor);

  std::shared_ptr<CapabilityProvider> embedded_;
  std::shared_ptr<CapabilityProvider> server_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<CapabilityProvider>> chosen_;
};

}  // namespace wascc
