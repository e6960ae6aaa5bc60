#include "wascc/providers/messaging_nats.h"

#include <nats/nats.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <cstring>
#include <vector>

#include "wascc/wascap/nkeys.h"

namespace wascc::messaging_nats {
namespace {

constexpr int64_t kConnectTimeoutMs = 2000;
constexpr int64_t kDrainTimeoutMs = 5000;
constexpr int64_t kDefaultRequestTimeoutMs = 1000;  // a Request whose timeout is 0

std::string nats_failure(const std::string& what, natsStatus status) {
  const char* detail = nats_GetLastError(nullptr);
  return "wascc:messaging: " + what + ": " +
         (detail != nullptr && *detail != '\0' ? detail : natsStatus_GetText(status));
}

struct Credentials {
  std::string jwt;
  std::optional<nkeys::KeyPair> user;
};

natsStatus give_jwt(char** user_jwt, char** /*error*/, void* closure) {
  *user_jwt = strdup(static_cast<Credentials*>(closure)->jwt.c_str());
  return *user_jwt != nullptr ? NATS_OK : NATS_NO_MEMORY;
}

natsStatus sign_nonce(char** /*error*/, unsigned char** signature, int* length, const char* nonce, void* closure) {
  auto* credentials = static_cast<Credentials*>(closure);
  const auto signed_nonce =
      credentials->user->sign(ByteView(reinterpret_cast<const uint8_t*>(nonce), std::strlen(nonce)));
  *signature = static_cast<unsigned char*>(std::malloc(signed_nonce.size()));
  if (*signature == nullptr) return NATS_NO_MEMORY;
  std::memcpy(*signature, signed_nonce.data(), signed_nonce.size());
  *length = static_cast<int>(signed_nonce.size());
  return NATS_OK;
}

}  // namespace

// One actor's connection and subscriptions. Messages arrive on the client's threads.
class Provider::Connection {
 public:
  Connection(std::string actor, Provider& provider) : actor_(std::move(actor)), provider_(provider) {}
  ~Connection() { close(); }

  Status open(const BindingValues& values) {
    const std::string url = values.count("URL") ? values.at("URL") : std::string("nats://0.0.0.0:4222");
    auto subscriptions = messaging_contract::subscriptions_of(values);
    if (!subscriptions) return subscriptions.error();
    natsOptions* options = nullptr;
    natsStatus status = natsOptions_Create(&options);
    if (status == NATS_OK) status = natsOptions_SetURL(options, url.c_str());
    if (status == NATS_OK) status = natsOptions_SetTimeout(options, kConnectTimeoutMs);
    if (status == NATS_OK && values.count("CLIENT_JWT")) {
      if (!values.count("CLIENT_SEED")) {
        natsOptions_Destroy(options);
        return input_error("wascc:messaging: CLIENT_JWT needs CLIENT_SEED");
      }
      auto user = nkeys::KeyPair::from_seed(values.at("CLIENT_SEED"));
      if (!user) {
        natsOptions_Destroy(options);
        return input_error("wascc:messaging: CLIENT_SEED: " + user.error().message);
      }
      credentials_ = std::make_unique<Credentials>(Credentials{values.at("CLIENT_JWT"), user.value()});
      status = natsOptions_SetUserCredentialsCallbacks(options, give_jwt, credentials_.get(), sign_nonce,
                                                       credentials_.get());
    }
    if (status == NATS_OK) status = natsConnection_Connect(&connection_, options);
    natsOptions_Destroy(options);
    if (status != NATS_OK) return io_error(nats_failure("cannot connect to " + url, status));
    for (const auto& subject : subscriptions->subjects) {
      natsSubscription* subscription = nullptr;
      status = subscriptions->queue_group.empty()
                   ? natsConnection_Subscribe(&subscription, connection_, subject.c_str(), on_message, this)
                   : natsConnection_QueueSubscribe(&subscription, connection_, subject.c_str(),
                                                   subscriptions->queue_group.c_str(), on_message, this);
      if (status != NATS_OK) return io_error(nats_failure("cannot subscribe to " + subject, status));
      subscriptions_.push_back(subscription);
    }
    // The server has the subscriptions once this returns: a publisher right after bind is heard.
    if (status = natsConnection_FlushTimeout(connection_, kConnectTimeoutMs); status != NATS_OK) {
      return io_error(nats_failure("flush to " + url, status));
    }
    return ok_status();
  }

  Status publish(const messaging_contract::BrokerMessage& message) {
    const natsStatus status =
        message.reply_to.empty()
            ? natsConnection_Publish(connection_, message.subject.c_str(), message.body.data(),
                                     static_cast<int>(message.body.size()))
            : natsConnection_PublishRequest(connection_, message.subject.c_str(), message.reply_to.c_str(),
                                            message.body.data(), static_cast<int>(message.body.size()));
    if (status != NATS_OK) return io_error(nats_failure("publish to " + message.subject, status));
    return ok_status();
  }

  Result<Bytes> request(const messaging_contract::RequestMessage& message) {
    natsMsg* reply = nullptr;
    const int64_t timeout = message.timeout_ms > 0 ? message.timeout_ms : kDefaultRequestTimeoutMs;
    const natsStatus status = natsConnection_Request(&reply, connection_, message.subject.c_str(), message.body.data(),
                                                     static_cast<int>(message.body.size()), timeout);
    if (status != NATS_OK) return invalid_error(nats_failure("request to " + message.subject, status));
    const auto* data = reinterpret_cast<const uint8_t*>(natsMsg_GetData(reply));
    Bytes out(data, data + natsMsg_GetDataLength(reply));
    natsMsg_Destroy(reply);
    return out;
  }

  void close() {
    for (auto* subscription : subscriptions_) {
      // Drain: messages already received are still delivered, then no callback runs again.
      if (natsSubscription_Drain(subscription) == NATS_OK) {
        natsSubscription_WaitForDrainCompletion(subscription, kDrainTimeoutMs);
      }
      natsSubscription_Destroy(subscription);
    }
    subscriptions_.clear();
    if (connection_ != nullptr) natsConnection_Destroy(connection_);
    connection_ = nullptr;
  }

 private:
  static void on_message(natsConnection*, natsSubscription*, natsMsg* message, void* closure) {
    auto* self = static_cast<Connection*>(closure);
    const char* reply = natsMsg_GetReply(message);
    messaging_contract::BrokerMessage delivered{
        natsMsg_GetSubject(message), reply != nullptr ? reply : "",
        std::string(natsMsg_GetData(message), static_cast<size_t>(natsMsg_GetDataLength(message)))};
    natsMsg_Destroy(message);
    self->provider_.deliver(self->actor_, messaging_contract::encode_broker_message(delivered));
  }

  std::string actor_;
  Provider& provider_;
  std::unique_ptr<Credentials> credentials_;
  natsConnection* connection_ = nullptr;
  std::vector<natsSubscription*> subscriptions_;
};

Provider::Provider(Notice notice) : ProviderBase(std::move(notice)) {}
Provider::~Provider() { stop(); }

Status Provider::bind_actor(const std::string& actor, const BindingValues& values) {
  auto connection = std::make_shared<Connection>(actor, *this);
  if (auto opened = connection->open(values); !opened) return opened;
  std::lock_guard lock(mutex_);
  connections_[actor] = std::move(connection);
  return ok_status();
}

void Provider::remove_actor(const std::string& actor) {
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    if (auto found = connections_.find(actor); found != connections_.end()) {
      connection = std::move(found->second);
      connections_.erase(found);
    }
  }
  if (connection) connection->close();
}

void Provider::stop() {
  std::map<std::string, std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (auto& [actor, connection] : connections) connection->close();
}

Result<Bytes> Provider::handle_call(const std::string& actor, std::string_view operation, ByteView payload) {
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    if (auto found = connections_.find(actor); found != connections_.end()) connection = found->second;
  }
  if (!connection) return input_error("wascc:messaging: actor " + actor + " is not bound");
  if (operation == "Publish") {
    auto message = messaging_contract::decode_publish(payload);
    if (!message) return message.error();
    if (auto published = connection->publish(*message); !published) return published.error();
    return Bytes{};
  }
  if (operation == "Request") {
    auto message = messaging_contract::decode_request(payload);
    if (!message) return message.error();
    return connection->request(*message);
  }
  return input_error("wascc:messaging has no operation " + std::string(operation) + " for actors to call");
}

}  // namespace wascc::messaging_nats
