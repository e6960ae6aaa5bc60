#include <doctest/doctest.h>

#include "check_error.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/http_server_provider.h"
#include "wascc/providers/keyvalue_redis.h"
#include "wascc/providers/messaging_bus.h"
#include "wascc/base/msgpack_writer.h"

using namespace wascc;

namespace {

// What providers deliver to actors, recorded; answers nil, or what `answer` makes of it.
struct RecordingDispatcher {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::pair<std::string, Bytes>> deliveries;  // (actor, payload)
  std::function<void(const std::string& actor, const messaging_contract::BrokerMessage&)> answer;

  ActorDispatcher dispatcher() {
    return [this](const std::string& actor, std::string_view, ByteView payload) -> Result<Bytes, wapc::CallFailure> {
      auto message = messaging_contract::decode_publish(payload);
      if (answer && message) answer(actor, *message);
      std::lock_guard lock(mutex);
      deliveries.emplace_back(actor, Bytes(payload.begin(), payload.end()));
      changed.notify_all();
      return Bytes{0xc0};
    };
  }
  size_t wait_for(size_t count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return deliveries.size() >= count; });
    return deliveries.size();
  }
};

}  // namespace

TEST_CASE("msgpack writer: smallest forms, as actor_codec encodes") {
  MsgpackWriter out;
  out.unsigned_integer(1);
  out.unsigned_integer(200);
  out.unsigned_integer(70000);
  out.signed_integer(-1);
  out.signed_integer(-200);
  out.text("");
  out.binary("");
  out.map_header(0);
  CHECK(out.take() ==
        Bytes{0x01, 0xcc, 0xc8, 0xce, 0x00, 0x01, 0x11, 0x70, 0xff, 0xd1, 0xff, 0x38, 0xa0, 0xc4, 0x00, 0x80});
  MsgpackWriter long_text;
  long_text.text(std::string(40, 'x'));
  CHECK(long_text.take().front() == 0xd9);
}

TEST_CASE("http server: a bound actor gets every request; an actor error answers 500; removal closes it") {
  http_server::Provider provider;
  std::atomic<int> calls{0};
  provider.set_dispatcher(
      [&](const std::string&, std::string_view operation, ByteView payload) -> Result<Bytes, wapc::CallFailure> {
        ++calls;
        CHECK(operation == "HandleRequest");
        auto request = actor_codec::decode(*actor_codec::find_schema("Request"), payload);
        if ((*request)["path"] == "/fail") return wapc::CallFailure{wapc::FailureKind::GuestError, "guest said no", {}};
        Json reply = {{"statusCode", 200}, {"status", "OK"}, {"body", (*request)["method"].get<std::string>()}};
        return actor_codec::encode(*actor_codec::find_schema("Response"), reply).value();
      });
  REQUIRE(provider.bind_actor("MACTOR", {{"PORT", "0"}}).ok());
  const int port = provider.port_of("MACTOR");
  REQUIRE(port > 0);
  CHECK_ERROR(
      provider.bind_actor("MOTHER", {{"PORT", std::to_string(port)}}),
      "wascc:http_server: cannot listen on 127.0.0.1:" + std::to_string(port) + ": Address already in use");  // in use
  CHECK_ERROR(provider.bind_actor("MOTHER", {{"PORT", "http"}}),
              "wascc:http_server: PORT \"http\" is not a port number");
  CHECK_ERROR(provider.handle_call("MACTOR", "Anything", {}),
              "wascc:http_server has no operation Anything for actors to call");
  provider.remove_actor("MACTOR");
  CHECK(provider.port_of("MACTOR") == 0);
  CHECK(provider.bind_actor("MACTOR", {{"PORT", std::to_string(port)}}).ok());  // the port is free again
  provider.stop();
}

TEST_CASE("messaging: NATS subject matching and SUBSCRIPTION lists") {
  using messaging_contract::subject_matches;
  CHECK(subject_matches("a.b", "a.b"));
  CHECK_FALSE(subject_matches("a.b", "a.b.c"));
  CHECK(subject_matches("a.*", "a.b"));
  CHECK_FALSE(subject_matches("a.*", "a.b.c"));
  CHECK(subject_matches("a.>", "a.b.c"));
  CHECK_FALSE(subject_matches("a.>", "a"));
  CHECK(subject_matches(">", "x"));
  CHECK(subject_matches("*.b.*", "a.b.c"));
  auto list = messaging_contract::subscriptions_of({{"SUBSCRIPTION", "a.b, c.* ,d.>"}, {"QUEUEGROUP_NAME", "g"}});
  REQUIRE(list.ok());
  CHECK(list->subjects == std::vector<std::string>{"a.b", "c.*", "d.>"});
  CHECK(list->queue_group == "g");
  for (const char* bad : {"a..b", "a.>.b", "a b", "a*", "a,,b"}) {
    CAPTURE(bad);
    CHECK_ERROR(messaging_contract::subscriptions_of({{"SUBSCRIPTION", bad}}),
                std::string("wascc:messaging: SUBSCRIPTION \"") + bad + "\": \"" +
                    (std::string(bad) == "a,,b" ? "" : bad) + "\" is not a NATS subject");
  }
  CHECK(messaging_contract::subscriptions_of({})->subjects.empty());
}

TEST_CASE("messaging bus: publish reaches every subscriber, one per queue group; requests get replies") {
  messaging_bus::Provider bus;
  RecordingDispatcher recorder;
  bus.set_dispatcher(recorder.dispatcher());
  REQUIRE(bus.bind_actor("MA", {{"SUBSCRIPTION", "orders.*"}}).ok());
  REQUIRE(bus.bind_actor("MB", {{"SUBSCRIPTION", "orders.new"}}).ok());
  REQUIRE(bus.bind_actor("MQ1", {{"SUBSCRIPTION", "work"}, {"QUEUEGROUP_NAME", "g"}}).ok());
  REQUIRE(bus.bind_actor("MQ2", {{"SUBSCRIPTION", "work"}, {"QUEUEGROUP_NAME", "g"}}).ok());

  CHECK(bus.publish({"orders.new", "", "o1"}) == 2);
  CHECK(bus.publish({"orders.old", "", "o2"}) == 1);
  CHECK(bus.publish({"nobody", "", "x"}) == 0);
  CHECK(recorder.wait_for(3) == 3);
  for (int i = 0; i < 4; ++i) CHECK(bus.publish({"work", "", "w"}) == 1);
  CHECK(recorder.wait_for(7) == 7);
  {
    std::lock_guard lock(recorder.mutex);
    int q1 = 0, q2 = 0;
    for (const auto& [actor, payload] : recorder.deliveries)
      (actor == "MQ1" ? q1 : actor == "MQ2" ? q2 : q1) += actor[1] == 'Q';
    CHECK(q1 == 2);  // round robin within the group
    CHECK(q2 == 2);
    auto first = messaging_contract::decode_publish(recorder.deliveries.front().second);
    REQUIRE(first.ok());
    CHECK(first->body.size() == 2);
  }

  // A subscriber that answers by publishing to the reply subject, as the example actor does.
  recorder.answer = [&](const std::string&, const messaging_contract::BrokerMessage& message) {
    if (!message.reply_to.empty()) bus.publish({message.reply_to, "", "re: " + message.body});
  };
  auto reply = bus.request({"work", "ping", 2000});
  REQUIRE(reply.ok());
  CHECK(std::string(reply->begin(), reply->end()) == "re: ping");
  auto unheard = bus.request({"nobody", "x", 100});
  REQUIRE_FALSE(unheard.ok());
  CHECK(unheard.error().message == "wascc:messaging: no subscribers for nobody");
  recorder.answer = nullptr;
  auto timeout = bus.request({"work", "x", 50});
  REQUIRE_FALSE(timeout.ok());
  CHECK(timeout.error().message == "wascc:messaging: request to work timed out after 50 ms");

  // The actor-facing operations take the codec's payloads.
  MsgpackWriter publish;
  publish.map_header(3);
  publish.text("subject");
  publish.text("orders.x");
  publish.text("replyTo");
  publish.text("");
  publish.text("body");
  publish.binary("b");
  const size_t before = recorder.wait_for(0);
  CHECK(bus.handle_call("MB", "Publish", publish.take()).ok());
  CHECK(recorder.wait_for(before + 1) == before + 1);
  CHECK_ERROR(bus.handle_call("MB", "Subscribe", {}), "wascc:messaging has no operation Subscribe for actors to call");
  bus.remove_actor("MA");
  CHECK(bus.publish({"orders.x", "", ""}) == 0);
  bus.stop();
}

TEST_CASE("keyvalue redis: URLs as redis-rs reads them") {
  auto plain = keyvalue_redis::parse_url("redis://127.0.0.1:6380/2");
  REQUIRE(plain.ok());
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == 6380);
  CHECK(plain->database == 2);
  auto defaults = keyvalue_redis::parse_url("redis://cache");
  REQUIRE(defaults.ok());
  CHECK(defaults->port == 6379);
  CHECK(defaults->database == 0);
  auto secret = keyvalue_redis::parse_url("redis://user:pa:ss@h:1/");
  REQUIRE(secret.ok());
  CHECK(secret->username == "user");
  CHECK(secret->password == "pa:ss");
  CHECK(secret->host == "h");
  CHECK_ERROR(keyvalue_redis::parse_url("http://h"), "wascc:keyvalue: URL \"http://h\" is not a redis:// URL");
  CHECK_ERROR(keyvalue_redis::parse_url("redis://h:port"),
              "wascc:keyvalue: redis://h:port: port \"port\" is not a number");
  CHECK_ERROR(keyvalue_redis::parse_url("redis://h/db"),
              "wascc:keyvalue: redis://h/db: database \"db\" is not a number");
}
