#include "wascc/providers/messaging_bus.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <optional>
#include <thread>

#include "wascc/wascap/nuid.h"

namespace wascc::messaging_bus {
namespace {

constexpr int64_t kDefaultRequestTimeoutMs = 1000;  // a Request whose timeout is 0

}  // namespace

// Deliveries to one actor, in order, on their own thread.
class Provider::Mailbox {
 public:
  using Deliver = std::function<void(const Bytes& message)>;
  explicit Mailbox(Deliver deliver) : deliver_(std::move(deliver)), thread_([this] { run(); }) {}
  ~Mailbox() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
  void post(std::shared_ptr<const Bytes> message) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(message));
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      std::shared_ptr<const Bytes> message = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      deliver_(*message);
      lock.lock();
    }
  }

  Deliver deliver_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<const Bytes>> queue_;  // one encoding shared by every receiver
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is constructed
};

struct Provider::Waiter {
  std::mutex mutex;
  std::condition_variable done;
  std::optional<std::string> reply;
};

Provider::Provider(Notice notice) : ProviderBase(std::move(notice)) {}
Provider::~Provider() { stop(); }

Status Provider::bind_actor(const std::string& actor, const BindingValues& values) {
  auto subscriptions = messaging_contract::subscriptions_of(values);
  if (!subscriptions) return subscriptions.error();
  auto mailbox = std::make_unique<Mailbox>([this, actor](const Bytes& message) { deliver(actor, message); });
  std::lock_guard lock(mutex_);
  subscriptions_[actor] = std::move(subscriptions.value());
  mailboxes_[actor] = std::move(mailbox);
  return ok_status();
}

void Provider::remove_actor(const std::string& actor) {
  std::unique_ptr<Mailbox> mailbox;
  {
    std::lock_guard lock(mutex_);
    subscriptions_.erase(actor);
    if (auto found = mailboxes_.find(actor); found != mailboxes_.end()) {
      mailbox = std::move(found->second);
      mailboxes_.erase(found);
    }
  }
  mailbox.reset();  // waits for a delivery in progress, outside the lock
}

void Provider::stop() {
  std::map<std::string, std::unique_ptr<Mailbox>> mailboxes;
  {
    std::lock_guard lock(mutex_);
    mailboxes.swap(mailboxes_);
    subscriptions_.clear();
  }
}

size_t Provider::publish(const messaging_contract::BrokerMessage& message) {
  const auto encoded = std::make_shared<const Bytes>(messaging_contract::encode_broker_message(message));
  std::lock_guard lock(mutex_);
  if (auto waiting = inboxes_.find(message.subject); waiting != inboxes_.end()) {
    auto waiter = waiting->second;
    inboxes_.erase(waiting);
    {
      std::lock_guard reply_lock(waiter->mutex);
      waiter->reply = message.body;
    }
    waiter->done.notify_all();
  }
  std::vector<std::string> receivers;
  std::map<std::string, std::vector<std::string>> groups;  // "group subject-pattern" -> members
  for (const auto& [actor, subscriptions] : subscriptions_) {
    for (const auto& pattern : subscriptions.subjects) {
      if (!messaging_contract::subject_matches(pattern, message.subject)) continue;
      if (subscriptions.queue_group.empty()) {
        receivers.push_back(actor);
      } else {
        groups[subscriptions.queue_group + " " + pattern].push_back(actor);
      }
      break;  // one delivery per actor
    }
  }
  for (const auto& [group, members] : groups) receivers.push_back(members[queue_turns_[group]++ % members.size()]);
  for (const auto& actor : receivers) mailboxes_.at(actor)->post(encoded);
  return receivers.size();
}

Result<Bytes> Provider::request(const messaging_contract::RequestMessage& message) {
  const int64_t timeout_ms = message.timeout_ms > 0 ? message.timeout_ms : kDefaultRequestTimeoutMs;
  const std::string inbox = "_INBOX." + nuid::next();
  auto waiter = std::make_shared<Waiter>();
  {
    std::lock_guard lock(mutex_);
    inboxes_[inbox] = waiter;
  }
  const auto unregister = [&] {
    std::lock_guard lock(mutex_);
    inboxes_.erase(inbox);
  };
  if (publish({message.subject, inbox, message.body}) == 0) {
    unregister();
    return invalid_error("wascc:messaging: no subscribers for " + message.subject);
  }
  std::unique_lock lock(waiter->mutex);
  if (!waiter->done.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return waiter->reply.has_value(); })) {
    lock.unlock();
    unregister();
    return invalid_error("wascc:messaging: request to " + message.subject + " timed out after " +
                         std::to_string(timeout_ms) + " ms");
  }
  return Bytes(waiter->reply->begin(), waiter->reply->end());
}

Result<Bytes> Provider::handle_call(const std::string&, std::string_view operation, ByteView payload) {
  if (operation == "Publish") {
    auto message = messaging_contract::decode_publish(payload);
    if (!message) return message.error();
    publish(*message);
    return Bytes{};
  }
  if (operation == "Request") {
    auto message = messaging_contract::decode_request(payload);
    if (!message) return message.error();
    return request(*message);
  }
  return input_error("wascc:messaging has no operation " + std::string(operation) + " for actors to call");
}

}  // namespace wascc::messaging_bus
