// wascc:messaging on a real NATS server (the NATS C client), as wascc-nats 0.8 did: one
// connection per bound actor to the binding's URL (default nats://0.0.0.0:4222), each subject
// of SUBSCRIPTION subscribed for it (a queue subscription with QUEUEGROUP_NAME), messages
// delivered to the actor as DeliverMessage; Publish and Request from the actor go to the
// server. CLIENT_JWT with CLIENT_SEED authenticate as a NATS user (a JWT without a seed is a
// bind error, as upstream).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wascc/providers/messaging_contract.h"

namespace wascc::messaging_nats {

class Provider : public messaging_contract::ProviderBase {
 public:
  explicit Provider(Notice notice = {});
  ~Provider() override;

  std::optional<std::vector<std::string_view>> binding_keys() const override {
    return {{"URL", "SUBSCRIPTION", "QUEUEGROUP_NAME", "CLIENT_JWT", "CLIENT_SEED"}};
  }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;
  void stop() override;

 private:
  class Connection;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Connection>> connections_;
};

}  // namespace wascc::messaging_nats
