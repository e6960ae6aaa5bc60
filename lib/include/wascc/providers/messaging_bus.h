// wascc:messaging in process, the default when no NATS URL is bound: NATS semantics without a
// server. Subjects with * and > wildcards; one queue-group member per message (round robin);
// Publish delivers asynchronously (DeliverMessage) on a mailbox thread per subscribed actor, so
// that an actor may publish to a subject it listens on; Request waits for the first Publish to
// its private inbox (_INBOX.<nuid>) or its timeout.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wascc/providers/messaging_contract.h"

namespace wascc::messaging_bus {

class Provider : public messaging_contract::ProviderBase {
 public:
  explicit Provider(Notice notice = {});
  ~Provider() override;

  std::optional<std::vector<std::string_view>> binding_keys() const override {
    return {{"SUBSCRIPTION", "QUEUEGROUP_NAME"}};
  }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;
  void stop() override;

  // The same operations from outside any actor (tests, `wascc test`). Publish answers how many
  // actors the message was queued for.
  size_t publish(const messaging_contract::BrokerMessage& message);
  Result<Bytes> request(const messaging_contract::RequestMessage& message);

 private:
  class Mailbox;
  struct Waiter;
  std::mutex mutex_;
  std::map<std::string, messaging_contract::Subscriptions> subscriptions_;  // by actor
  std::map<std::string, std::unique_ptr<Mailbox>> mailboxes_;               // by actor
  std::map<std::string, std::shared_ptr<Waiter>> inboxes_;                  // pending requests
  std::map<std::string, uint64_t> queue_turns_;                             // round robin per group+subject
};

}  // namespace wascc::messaging_bus
