// The lattice's connection to NATS (the NATS C client): a failover list of servers tried in
// the order given (not shuffled: the operator decides which node a runner uses), reconnecting
// for ever, subscriptions kept across reconnects; request/reply with a timeout that tells "no
// one subscribes" from "no one answered in time"; a gather of every reply to one request.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

// The client's connection type, as <nats/nats.h> declares it (the same typedef again is allowed).
typedef struct __natsConnection natsConnection;  // NOLINT

namespace wascc::nats_link {

struct Options {
  std::vector<std::string> servers;                // nats://host:port, tried in order
  std::string name;                                // the client name the server shows
  std::string creds_file;                          // a NATS .creds file (user JWT and seed), or ""
  std::function<void(const std::string&)> notice;  // disconnected, reconnected
};

struct Message {
  std::string subject;
  std::string reply;
  Bytes data;
};
using Handler = std::function<void(Message)>;

enum class RequestFailure {
  NoResponders,  // no subscriber when the server got it: it was delivered to no one
  TimedOut,      // delivered, or lost with a connection, but no reply in time
  Other,
};
struct RequestError {
  RequestFailure kind = RequestFailure::Other;
  std::string message;
};

// A JetStream key-value bucket.
class KeyValue {
 public:
  ~KeyValue();
  Status put(const std::string& key, std::string_view value);
  Result<std::string> get(const std::string& key);
  Status remove(const std::string& key);  // a delete marker; a missing key is no error
  // Every entry whose key starts with `prefix`, as (key, value), in key order.
  Result<std::vector<std::pair<std::string, std::string>>> entries(const std::string& prefix);
  // `heard` gets every entry there is, then each one put from now on, on a thread of its own,
  // until the bucket is destroyed. Deleted entries are not passed on.
  Status watch(std::function<void(const std::string& key, const std::string& value)> heard);

 private:
  friend class Link;
  struct State;
  explicit KeyValue(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

class Link {
 public:
  static Result<std::unique_ptr<Link>> connect(const Options& options);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  // `queue` empty: every subscriber gets each message; else one member of the group does.
  // The handler runs on the client's thread for this subscription.
  Status subscribe(const std::string& subject, const std::string& queue, Handler handler);
  Status publish(const std::string& subject, ByteView data, const std::string& reply = "");
  Result<Bytes, RequestError> request(const std::string& subject, ByteView data, int64_t timeout_ms);
  // Every reply to one request that arrives within `wait_ms`.
  Result<std::vector<Bytes>> gather(const std::string& subject, ByteView data, int64_t wait_ms);
  // The JetStream key-value bucket `bucket`, created when absent (one replica, one value per
  // key) unless `create` is false (then absent is an error, as is a server without JetStream).
  Result<std::unique_ptr<KeyValue>> key_value(const std::string& bucket, bool create = true);
  // Returns once the server has every subscription made so far.
  Status flush(int64_t timeout_ms);
  // Stops taking new messages on every subscription (the server sends them to other members of
  // each queue group) and returns once the handlers have had those already taken; the
  // connection stays open for replies until close().
  void stop_subscriptions(int64_t timeout_ms);
  void close();

 private:
  struct Subscription;
  Link() = default;
  natsConnection* connection_ = nullptr;
  std::vector<std::unique_ptr<Subscription>> subscriptions_;
};

}  // namespace wascc::nats_link
