// The wascc:messaging contract shared by its providers (in process, NATS): the binding values
// (SUBSCRIPTION: comma-separated subjects; QUEUEGROUP_NAME), NATS subject matching, and the
// payloads of Publish, Request and DeliverMessage.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/actors/capability_provider.h"

namespace wascc::messaging_contract {

inline constexpr std::string_view kCapabilityId = "wascc:messaging";

struct Subscriptions {
  std::vector<std::string> subjects;
  std::string queue_group;  // empty: every subscriber gets every message
};
// The binding's subscriptions; a subject that is not a valid NATS subject is an error.
Result<Subscriptions> subscriptions_of(const BindingValues& values);

// NATS rules: tokens separated by '.', '*' matches one token, '>' (last) one or more.
bool subject_matches(std::string_view pattern, std::string_view subject);

struct BrokerMessage {
  std::string subject;
  std::string reply_to;  // "" = none
  std::string body;
};
Bytes encode_broker_message(const BrokerMessage& message);  // DeliverMessage's payload
Result<BrokerMessage> decode_publish(ByteView payload);

struct RequestMessage {
  std::string subject;
  std::string body;
  int64_t timeout_ms = 0;
};
Result<RequestMessage> decode_request(ByteView payload);
Bytes encode_request(const RequestMessage& message);  // what an actor sends for Request

// What both providers share: the capability, the host's dispatcher, and a notice callback for
// what has no caller to return to (a DeliverMessage the actor failed).
class ProviderBase : public CapabilityProvider {
 public:
  using Notice = std::function<void(const std::string& line)>;
  explicit ProviderBase(Notice notice) : notice_(std::move(notice)) {}

  std::string_view capability_id() const override { return kCapabilityId; }
  void set_dispatcher(ActorDispatcher dispatcher) override { dispatcher_ = std::move(dispatcher); }

 protected:
  // DeliverMessage to `actor` with a payload from encode_broker_message (encoded once however
  // many actors receive it); a failure goes to the notice callback.
  void deliver(const std::string& actor, ByteView encoded_message) const;

 private:
  Notice notice_;
  ActorDispatcher dispatcher_;
};

}  // namespace wascc::messaging_contract
