#include "wascc/providers/keyvalue_redis.h"

#include <hiredis.h>

#include <charconv>

namespace wascc::keyvalue_redis {
namespace {

struct ReplyDeleter {
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* context) const { redisFree(context); }
};
using Context = std::unique_ptr<redisContext, ContextDeleter>;

Result<int> number_in(std::string_view text, std::string_view what, std::string_view url) {
  int value = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return input_error("wascc:keyvalue: " + std::string(url) + ": " + std::string(what) + " \"" + std::string(text) +
                       "\" is not a number");
  }
  return value;
}

}  // namespace

Result<RedisUrl> parse_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    return input_error("wascc:keyvalue: URL \"" + std::string(url) + "\" is not a redis:// URL");
  }
  RedisUrl parsed;
  std::string_view rest = url.substr(kScheme.size());
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos && slash + 1 < rest.size()) {
    auto database = number_in(rest.substr(slash + 1), "database", url);
    if (!database) return database.error();
    parsed.database = *database;
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = authority.substr(0, at);
    const auto colon = credentials.find(':');
    parsed.username = std::string(credentials.substr(0, colon));
    if (colon != std::string_view::npos) parsed.password = std::string(credentials.substr(colon + 1));
    authority = authority.substr(at + 1);
  }
  if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    auto port = number_in(authority.substr(colon + 1), "port", url);
    if (!port) return port.error();
    parsed.port = *port;
    authority = authority.substr(0, colon);
  }
  if (!authority.empty()) parsed.host = std::string(authority);
  return parsed;
}

// One actor's connection, a Store of the contract whose every operation is one Redis command.
// Calls on it are serial (an actor's calls are serial anyway).
class Provider::Connection final : public keyvalue_contract::Store {
 public:
  Connection(RedisUrl url, std::string text) : url_(std::move(url)), text_(std::move(text)) {}

  Status open() {
    const timeval timeout{2, 0};
    context_.reset(redisConnectWithTimeout(url_.host.c_str(), url_.port, timeout));
    if (!context_ || context_->err) return failure("cannot connect");
    redisSetTimeout(context_.get(), timeval{10, 0});
    if (!url_.password.empty()) {
      std::vector<std::string> auth = {"AUTH"};
      if (!url_.username.empty()) auth.push_back(url_.username);
      auth.push_back(url_.password);
      if (auto reply = command(auth); !reply) return reply.error();
    }
    if (url_.database != 0) {
      if (auto reply = command({"SELECT", std::to_string(url_.database)}); !reply) return reply.error();
    }
    return ok_status();
  }

  Result<std::optional<std::string>> get(const std::string& key) override {
    auto reply = run({"GET", key});
    if (!reply) return reply.error();
    if ((*reply)->type != REDIS_REPLY_STRING) return std::optional<std::string>();
    return std::optional<std::string>(std::string((*reply)->str, (*reply)->len));
  }
  Status set(const std::string& key, const std::string& value) override { return done(run({"SET", key, value})); }
  Status del(const std::string& key) override { return done(run({"DEL", key})); }
  Result<bool> exists(const std::string& key) override {
    auto count = integer({"EXISTS", key});
    if (!count) return count.error();
    return *count > 0;
  }
  Result<int64_t> add(const std::string& key, int64_t delta) override {
    return integer({"INCRBY", key, std::to_string(delta)});
  }
  Result<int64_t> push(const std::string& key, const std::string& value) override {
    return integer({"LPUSH", key, value});
  }
  Result<std::vector<std::string>> range(const std::string& key, int64_t start, int64_t stop) override {
    return strings({"LRANGE", key, std::to_string(start), std::to_string(stop)});
  }
  Result<int64_t> remove_item(const std::string& key, const std::string& value) override {
    return integer({"LREM", key, "0", value});
  }
  Result<int64_t> set_add(const std::string& key, const std::string& member) override {
    return integer({"SADD", key, member});
  }
  Result<int64_t> set_remove(const std::string& key, const std::string& member) override {
    return integer({"SREM", key, member});
  }
  Result<std::vector<std::string>> set_members(const std::string& key) override { return strings({"SMEMBERS", key}); }
  Result<std::vector<std::string>> set_union(const std::vector<std::string>& keys) override {
    return set_query("SUNION", "SetUnion", keys);
  }
  Result<std::vector<std::string>> set_intersection(const std::vector<std::string>& keys) override {
    return set_query("SINTER", "SetIntersection", keys);
  }

 private:
  // One command; a broken connection is re-opened and the command sent once more.
  Result<Reply> run(const std::vector<std::string>& arguments) {
    std::lock_guard lock(mutex_);
    if (!context_ || context_->err) {
      if (auto reopened = open(); !reopened) return reopened.error();
    }
    auto reply = command(arguments);
    if (!reply && context_->err) {
      if (auto reopened = open(); !reopened) return reopened.error();
      reply = command(arguments);
    }
    return reply;
  }

  static Status done(Result<Reply> reply) { return reply ? ok_status() : Status(reply.error()); }

  Result<int64_t> integer(const std::vector<std::string>& arguments) {
    auto reply = run(arguments);
    if (!reply) return reply.error();
    return static_cast<int64_t>((*reply)->integer);
  }

  Result<std::vector<std::string>> strings(const std::vector<std::string>& arguments) {
    auto reply = run(arguments);
    if (!reply) return reply.error();
    std::vector<std::string> values;
    for (size_t i = 0; i < (*reply)->elements; ++i)
      values.emplace_back((*reply)->element[i]->str, (*reply)->element[i]->len);
    return values;
  }

  Result<std::vector<std::string>> set_query(const char* verb, std::string_view operation,
                                             const std::vector<std::string>& keys) {
    if (keys.empty()) return input_error("wascc:keyvalue: " + std::string(operation) + " needs at least one key");
    std::vector<std::string> arguments = {verb};
    arguments.insert(arguments.end(), keys.begin(), keys.end());
    return strings(arguments);
  }

  Result<Reply> command(const std::vector<std::string>& arguments) {
    std::vector<const char*> pointers;
    std::vector<size_t> lengths;
    for (const auto& argument : arguments) {
      pointers.push_back(argument.data());
      lengths.push_back(argument.size());
    }
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(context_.get(), static_cast<int>(arguments.size()), pointers.data(), lengths.data())));
    if (!reply) return failure(arguments[0]);
    if (reply->type == REDIS_REPLY_ERROR) return invalid_error(std::string(reply->str, reply->len));
    return reply;
  }

  Error failure(const std::string& what) {
    const std::string detail = context_ ? context_->errstr : "out of memory";
    return io_error("wascc:keyvalue: " + what + " on " + text_ + ": " + detail);
  }

  RedisUrl url_;
  std::string text_;
  std::mutex mutex_;
  Context context_;
};

Provider::Provider() = default;
Provider::~Provider() { stop(); }

Status Provider::bind_actor(const std::string& actor, const BindingValues& values) {
  const std::string text = values.count("URL") ? values.at("URL") : std::string("redis://0.0.0.0:6379/");
  auto url = parse_url(text);
  if (!url) return url.error();
  auto connection = std::make_shared<Connection>(std::move(url.value()), text);
  if (auto opened = connection->open(); !opened) return opened.error();
  std::lock_guard lock(mutex_);
  connections_[actor] = std::move(connection);
  return ok_status();
}

void Provider::remove_actor(const std::string& actor) {
  std::lock_guard lock(mutex_);
  connections_.erase(actor);
}

void Provider::stop() {
  std::lock_guard lock(mutex_);
  connections_.clear();
}

Result<Bytes> Provider::handle_call(const std::string& actor, std::string_view operation, ByteView payload) {
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    if (auto found = connections_.find(actor); found != connections_.end()) connection = found->second;
  }
  if (!connection) return input_error("wascc:keyvalue: actor " + actor + " is not bound");
  return keyvalue_contract::handle_call(*connection, operation, payload);
}

}  // namespace wascc::keyvalue_redis
