#include "wascc/runner/nats_link.h"

#include <nats/nats.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace wascc::nats_link {
namespace {

constexpr int64_t kConnectTimeoutMs = 2000;
constexpr int64_t kReconnectWaitMs = 100;
constexpr int64_t kPingIntervalMs = 2000;  // a dead server is noticed within ~2 pings
constexpr int64_t kJetStreamWaitMs = 1000;

std::string failure(const std::string& what, natsStatus status) {
  // The client's last error, without the "(conn.c:2088): " of its source position.
  std::string detail = nats_GetLastError(nullptr) != nullptr ? nats_GetLastError(nullptr) : "";
  if (!detail.empty() && detail[0] == '(' && detail.find("): ") != std::string::npos) {
    detail = detail.substr(detail.find("): ") + 3);
  }
  return "lattice: " + what + ": " + (detail.empty() ? natsStatus_GetText(status) : detail);
}

void on_disconnected(natsConnection* connection, void* closure) {
  auto* notice = static_cast<std::function<void(const std::string&)>*>(closure);
  if (natsConnection_IsClosed(connection)) return;  // closed on purpose
  if (*notice) (*notice)("lattice: disconnected from NATS; reconnecting");
}

void on_reconnected(natsConnection* connection, void* closure) {
  auto* notice = static_cast<std::function<void(const std::string&)>*>(closure);
  char url[256] = "";
  natsConnection_GetConnectedUrl(connection, url, sizeof url);
  if (*notice) (*notice)(std::string("lattice: reconnected to ") + url);
}

Bytes message_data(natsMsg* message) {
  const auto* data = reinterpret_cast<const uint8_t*>(natsMsg_GetData(message));
  return Bytes(data, data + natsMsg_GetDataLength(message));
}

}  // namespace

struct Link::Subscription {
  Handler handler;
  natsSubscription* subscription = nullptr;
  static void deliver(natsConnection*, natsSubscription*, natsMsg* message, void* closure) {
    const char* reply = natsMsg_GetReply(message);
    Message delivered{natsMsg_GetSubject(message), reply != nullptr ? reply : "", message_data(message)};
    natsMsg_Destroy(message);
    static_cast<Subscription*>(closure)->handler(std::move(delivered));
  }
};

// The callbacks' closure outlives the connection: it is a static per process, since options
// copy only the pointer. One notice function per process is all the runner needs.
static std::function<void(const std::string&)> g_notice;

Result<std::unique_ptr<Link>> Link::connect(const Options& options) {
  if (options.servers.empty()) return input_error("lattice: no NATS server given");
  g_notice = options.notice;
  std::vector<const char*> servers;
  std::string list;
  for (const auto& server : options.servers) {
    servers.push_back(server.c_str());
    list += (list.empty() ? "" : ",") + server;
  }
  natsOptions* nats_options = nullptr;
  natsStatus status = natsOptions_Create(&nats_options);
  if (status == NATS_OK)
    status = natsOptions_SetServers(nats_options, servers.data(), static_cast<int>(servers.size()));
  if (status == NATS_OK) status = natsOptions_SetNoRandomize(nats_options, true);
  if (status == NATS_OK) status = natsOptions_SetTimeout(nats_options, kConnectTimeoutMs);
  if (status == NATS_OK) status = natsOptions_SetMaxReconnect(nats_options, -1);
  if (status == NATS_OK) status = natsOptions_SetReconnectWait(nats_options, kReconnectWaitMs);
  if (status == NATS_OK) status = natsOptions_SetPingInterval(nats_options, kPingIntervalMs);
  if (status == NATS_OK) status = natsOptions_SetMaxPingsOut(nats_options, 2);
  // Each request and reply goes out at once, not when the client's flusher thread next runs:
  // a call across runners is latency-bound.
  if (status == NATS_OK) status = natsOptions_SetSendAsap(nats_options, true);
  if (status == NATS_OK && !options.name.empty()) status = natsOptions_SetName(nats_options, options.name.c_str());
  if (status == NATS_OK && !options.creds_file.empty()) {
    status = natsOptions_SetUserCredentialsFromFiles(nats_options, options.creds_file.c_str(), nullptr);
  }
  if (status == NATS_OK) status = natsOptions_SetDisconnectedCB(nats_options, on_disconnected, &g_notice);
  if (status == NATS_OK) status = natsOptions_SetReconnectedCB(nats_options, on_reconnected, &g_notice);
  std::unique_ptr<Link> link(new Link());
  if (status == NATS_OK) status = natsConnection_Connect(&link->connection_, nats_options);
  natsOptions_Destroy(nats_options);
  if (status != NATS_OK) return io_error(failure("cannot connect to " + list, status));
  return link;
}

Link::~Link() {
  for (auto& subscription : subscriptions_) natsSubscription_Destroy(subscription->subscription);
  if (connection_ != nullptr) natsConnection_Destroy(connection_);
}

Status Link::subscribe(const std::string& subject, const std::string& queue, Handler handler) {
  auto subscription = std::make_unique<Subscription>();
  subscription->handler = std::move(handler);
  const natsStatus status =
      queue.empty() ? natsConnection_Subscribe(&subscription->subscription, connection_, subject.c_str(),
                                               Subscription::deliver, subscription.get())
                    : natsConnection_QueueSubscribe(&subscription->subscription, connection_, subject.c_str(),
                                                    queue.c_str(), Subscription::deliver, subscription.get());
  if (status != NATS_OK) return io_error(failure("cannot subscribe to " + subject, status));
  // No cap on pending messages: the lattice's workers, not the client, bound the work.
  natsSubscription_SetPendingLimits(subscription->subscription, -1, -1);
  subscriptions_.push_back(std::move(subscription));
  return ok_status();
}

Status Link::publish(const std::string& subject, ByteView data, const std::string& reply) {
  const natsStatus status =
      reply.empty() ? natsConnection_Publish(connection_, subject.c_str(), data.data(), static_cast<int>(data.size()))
                    : natsConnection_PublishRequest(connection_, subject.c_str(), reply.c_str(), data.data(),
                                                    static_cast<int>(data.size()));
  if (status != NATS_OK) return io_error(failure("publish to " + subject, status));
  return ok_status();
}

Result<Bytes, RequestError> Link::request(const std::string& subject, ByteView data, int64_t timeout_ms) {
  natsMsg* reply = nullptr;
  const natsStatus status = natsConnection_Request(&reply, connection_, subject.c_str(), data.data(),
                                                   static_cast<int>(data.size()), std::max<int64_t>(timeout_ms, 1));
  if (status == NATS_NO_RESPONDERS) return RequestError{RequestFailure::NoResponders, "no runner serves " + subject};
  if (status == NATS_TIMEOUT) {
    return RequestError{RequestFailure::TimedOut,
                        "no reply from " + subject + " within " + std::to_string(timeout_ms) + " ms"};
  }
  if (status != NATS_OK) return RequestError{RequestFailure::Other, failure("request to " + subject, status)};
  Bytes out = message_data(reply);
  natsMsg_Destroy(reply);
  return out;
}

Result<std::vector<Bytes>> Link::gather(const std::string& subject, ByteView data, int64_t wait_ms) {
  natsInbox* inbox = nullptr;
  natsSubscription* replies = nullptr;
  natsStatus status = natsInbox_Create(&inbox);
  if (status == NATS_OK) status = natsConnection_SubscribeSync(&replies, connection_, inbox);
  if (status == NATS_OK) {
    status =
        natsConnection_PublishRequest(connection_, subject.c_str(), inbox, data.data(), static_cast<int>(data.size()));
  }
  std::vector<Bytes> out;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (status == NATS_OK) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
    natsMsg* message = nullptr;
    if (left <= 0 || natsSubscription_NextMsg(&message, replies, left) != NATS_OK) break;
    out.push_back(message_data(message));
    natsMsg_Destroy(message);
  }
  if (replies != nullptr) natsSubscription_Destroy(replies);
  if (inbox != nullptr) natsInbox_Destroy(inbox);
  if (status != NATS_OK) return io_error(failure("request to " + subject, status));
  return out;
}

Status Link::flush(int64_t timeout_ms) {
  if (natsStatus status = natsConnection_FlushTimeout(connection_, timeout_ms); status != NATS_OK) {
    return io_error(failure("flush", status));
  }
  return ok_status();
}

void Link::stop_subscriptions(int64_t timeout_ms) {
  for (auto& subscription : subscriptions_) natsSubscription_Drain(subscription->subscription);
  for (auto& subscription : subscriptions_) {
    natsSubscription_WaitForDrainCompletion(subscription->subscription, timeout_ms);
  }
}

void Link::close() {
  if (connection_ == nullptr) return;
  natsConnection_FlushTimeout(connection_, kConnectTimeoutMs);
  natsConnection_Close(connection_);
}

struct KeyValue::State {
  jsCtx* js = nullptr;
  kvStore* store = nullptr;
  kvWatcher* watcher = nullptr;
  std::thread watching;
  ~State() {
    if (watcher != nullptr) kvWatcher_Stop(watcher);
    if (watching.joinable()) watching.join();
    if (watcher != nullptr) kvWatcher_Destroy(watcher);
    if (store != nullptr) kvStore_Destroy(store);
    if (js != nullptr) jsCtx_Destroy(js);
  }
};

KeyValue::KeyValue(std::unique_ptr<State> state) : state_(std::move(state)) {}
KeyValue::~KeyValue() = default;

Status KeyValue::put(const std::string& key, std::string_view value) {
  uint64_t revision = 0;
  const natsStatus status =
      kvStore_Put(&revision, state_->store, key.c_str(), value.data(), static_cast<int>(value.size()));
  if (status != NATS_OK) return io_error(failure("put " + key, status));
  return ok_status();
}

Result<std::string> KeyValue::get(const std::string& key) {
  kvEntry* entry = nullptr;
  const natsStatus status = kvStore_Get(&entry, state_->store, key.c_str());
  if (status != NATS_OK) return io_error(failure("get " + key, status));
  std::string value(static_cast<const char*>(kvEntry_Value(entry)), static_cast<size_t>(kvEntry_ValueLen(entry)));
  kvEntry_Destroy(entry);
  return value;
}

Status KeyValue::remove(const std::string& key) {
  if (natsStatus status = kvStore_Delete(state_->store, key.c_str()); status != NATS_OK) {
    return io_error(failure("delete " + key, status));
  }
  return ok_status();
}

Result<std::vector<std::pair<std::string, std::string>>> KeyValue::entries(const std::string& prefix) {
  kvKeysList keys{};
  kvWatchOptions options;
  kvWatchOptions_Init(&options);
  options.Timeout = kJetStreamWaitMs;
  const natsStatus status = kvStore_Keys(&keys, state_->store, &options);
  if (status == NATS_NOT_FOUND) return std::vector<std::pair<std::string, std::string>>{};  // an empty bucket
  if (status != NATS_OK) return io_error(failure("keys", status));
  std::vector<std::string> names;
  for (int i = 0; i < keys.Count; ++i) {
    if (std::string_view(keys.Keys[i]).rfind(prefix, 0) == 0) names.emplace_back(keys.Keys[i]);
  }
  kvKeysList_Destroy(&keys);
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& name : names) {
    auto value = get(name);
    if (value) out.emplace_back(std::move(name), std::move(value.value()));  // deleted meanwhile: skipped
  }
  return out;
}

Status KeyValue::watch(std::function<void(const std::string& key, const std::string& value)> heard) {
  if (natsStatus status = kvStore_WatchAll(&state_->watcher, state_->store, nullptr); status != NATS_OK) {
    return io_error(failure("watch", status));
  }
  state_->watching = std::thread([watcher = state_->watcher, heard = std::move(heard)] {
    for (;;) {
      kvEntry* entry = nullptr;
      const natsStatus status = kvWatcher_Next(&entry, watcher, 1000);
      if (status == NATS_TIMEOUT) continue;
      if (status != NATS_OK) return;   // stopped
      if (entry == nullptr) continue;  // the end of the entries there were
      if (kvEntry_Operation(entry) == kvOp_Put) {
        heard(kvEntry_Key(entry), std::string(static_cast<const char*>(kvEntry_Value(entry)),
                                              static_cast<size_t>(kvEntry_ValueLen(entry))));
      }
      kvEntry_Destroy(entry);
    }
  });
  return ok_status();
}

Result<std::unique_ptr<KeyValue>> Link::key_value(const std::string& bucket, bool create) {
  auto state = std::make_unique<KeyValue::State>();
  // A server without JetStream may not answer at all (a cluster): a short wait, not the 5 s default.
  jsOptions options;
  jsOptions_Init(&options);
  options.Wait = kJetStreamWaitMs;
  natsStatus status = natsConnection_JetStream(&state->js, connection_, &options);
  if (status == NATS_OK) status = js_KeyValue(&state->store, state->js, bucket.c_str());
  if (status == NATS_NOT_FOUND && create) {
    kvConfig config;
    kvConfig_Init(&config);
    config.Bucket = bucket.c_str();
    config.History = 1;
    status = js_CreateKeyValue(&state->store, state->js, &config);
  }
  if (status != NATS_OK) {
    return io_error(std::string("JetStream key-value bucket ") + bucket + ": " + natsStatus_GetText(status));
  }
  return std::unique_ptr<KeyValue>(new KeyValue(std::move(state)));
}

}  // namespace wascc::nats_link
