#include "wascc/providers/keyvalue_redis.h"

#include <hiredis.h>

#include <charconv>

#include "wascc/actors/actor_codec.h"

namespace wascc::keyvalue_redis {
namespace {

using Json = jwt::Json;

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

// One actor's connection; calls on it are serial (an actor's calls are serial anyway).
class Provider::Connection {
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

 private:
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
  const auto* op = keyvalue_contract::find_operation(operation);
  if (op == nullptr) return input_error("wascc:keyvalue has no operation " + std::string(operation));
  std::shared_ptr<Connection> connection;
  {
    std::lock_guard lock(mutex_);
    if (auto found = connections_.find(actor); found != connections_.end()) connection = found->second;
  }
  if (!connection) return input_error("wascc:keyvalue: actor " + actor + " is not bound");
  auto request = actor_codec::decode(*actor_codec::find_schema(op->request), payload);
  if (!request) return request.error();
  const Json& in = *request;
  const std::string key = in.value("key", std::string());
  const std::string_view name = op->name;
  auto text_of = [&](const char* field) { return in.value(field, std::string()); };
  auto number_of = [&](const char* field) { return std::to_string(in.value(field, int64_t{0})); };

  std::vector<std::string> command;
  if (name == "Get") command = {"GET", key};
  else if (name == "Set") command = {"SET", key, text_of("value")};
  else if (name == "Del" || name == "Clear") command = {"DEL", key};
  else if (name == "Add") command = {"INCRBY", key, number_of("value")};
  else if (name == "Push") command = {"LPUSH", key, text_of("value")};
  else if (name == "Range") command = {"LRANGE", key, number_of("start"), number_of("stop")};
  else if (name == "ListItemDelete") command = {"LREM", key, "0", text_of("value")};
  else if (name == "SetAdd") command = {"SADD", key, text_of("value")};
  else if (name == "SetRemove") command = {"SREM", key, text_of("value")};
  else if (name == "SetQuery") command = {"SMEMBERS", key};
  else if (name == "KeyExists") command = {"EXISTS", key};
  else {  // SetUnion, SetIntersection
    command = {name == "SetUnion" ? "SUNION" : "SINTER"};
    for (const auto& each : in.value("keys", Json::array())) command.push_back(each.get<std::string>());
    if (command.size() == 1) return input_error("wascc:keyvalue: " + std::string(name) + " needs at least one key");
  }
  auto reply = connection->run(command);
  if (!reply) return reply.error();
  const redisReply& answer = **reply;

  Json out = Json::object();
  if (name == "Get") {
    out["value"] = answer.type == REDIS_REPLY_STRING ? std::string(answer.str, answer.len) : "";
    out["exists"] = answer.type == REDIS_REPLY_STRING;
  } else if (name == "KeyExists") {
    out["value"] = "";
    out["exists"] = answer.integer > 0;
  } else if (name == "Set") {
    out["value"] = text_of("value");
  } else if (name == "Del" || name == "Clear") {
    out["key"] = key;
  } else if (name == "Add") {
    if (answer.integer < INT32_MIN || answer.integer > INT32_MAX) return input_error("ERR increment or decrement would overflow");
    out["value"] = answer.integer;
  } else if (answer.type == REDIS_REPLY_INTEGER) {  // Push, ListItemDelete, SetAdd, SetRemove
    out["newCount"] = answer.integer;
  } else {  // Range and the set queries: a list of strings
    Json values = Json::array();
    for (size_t i = 0; i < answer.elements; ++i) values.push_back(std::string(answer.element[i]->str, answer.element[i]->len));
    out["values"] = std::move(values);
  }
  return actor_codec::encode(*actor_codec::find_schema(op->reply), out);
}

}  // namespace wascc::keyvalue_redis
