// The providers backed by real servers, against the servers tests/runner/runner_test.py
// starts (WASCC_TEST_REDIS_URL, WASCC_TEST_NATS_URL). Run only as that test's suite "servers";
// without the variables these cases fail rather than pass vacuously.
#include <doctest/doctest.h>

#include "check_error.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/keyvalue_contract.h"
#include "wascc/providers/keyvalue_memory.h"
#include "wascc/providers/keyvalue_redis.h"
#include "wascc/providers/messaging_nats.h"
#include "wascc/wascap/nuid.h"

using namespace wascc;

namespace {

std::string server_url(const char* variable) {
  const char* value = std::getenv(variable);
  REQUIRE_MESSAGE(value != nullptr, variable << " is not set: run this suite through tests/runner/runner_test.py");
  return value;
}

// One operation's reply (as JSON) or its error text, from any keyvalue provider.
std::string outcome(CapabilityProvider& provider, const std::string& operation, const Json& request) {
  const auto* op = keyvalue_contract::find_operation(operation);
  REQUIRE(op != nullptr);
  auto payload = actor_codec::encode(*actor_codec::find_schema(op->request), request);
  REQUIRE(payload.ok());
  auto reply = provider.handle_call("MACTOR", operation, *payload);
  if (!reply) return "error: " + reply.error().message.substr(0, 9);  // "WRONGTYPE" / "ERR value"
  auto json = actor_codec::decode(*actor_codec::find_schema(op->reply), *reply);
  REQUIRE(json.ok());
  if (json->contains("values") && operation != "Range") {  // set members: in no particular order
    auto values = (*json)["values"].get<std::vector<std::string>>();
    std::sort(values.begin(), values.end());
    (*json)["values"] = values;
  }
  return json->dump();
}

}  // namespace

TEST_SUITE("servers") {
  TEST_CASE("keyvalue on Redis answers every operation exactly as the in-memory store") {
    const std::string url = server_url("WASCC_TEST_REDIS_URL");
    keyvalue_redis::Provider redis;
    keyvalue_memory::Provider memory;
    REQUIRE(redis.bind_actor("MACTOR", {{"URL", url + "/3"}}).ok());
    REQUIRE(memory.bind_actor("MACTOR", {}).ok());
    const std::string p = "t" + nuid::next() + ":";  // fresh keys on a shared server
    const std::vector<std::pair<std::string, Json>> steps = {
        {"Get", {{"key", p + "s"}}},
        {"Set", {{"key", p + "s"}, {"value", "v"}, {"expires", 0}}},
        {"Get", {{"key", p + "s"}}},
        {"KeyExists", {{"key", p + "s"}}},
        {"Add", {{"key", p + "n"}, {"value", 5}}},
        {"Add", {{"key", p + "n"}, {"value", -7}}},
        {"Add", {{"key", p + "s"}, {"value", 1}}},
        {"Push", {{"key", p + "l"}, {"value", "a"}}},
        {"Push", {{"key", p + "l"}, {"value", "b"}}},
        {"Push", {{"key", p + "l"}, {"value", "a"}}},
        {"Range", {{"key", p + "l"}, {"start", 0}, {"stop", -1}}},
        {"Range", {{"key", p + "l"}, {"start", 1}, {"stop", 1}}},
        {"Range", {{"key", p + "l"}, {"start", -2}, {"stop", 10}}},
        {"ListItemDelete", {{"key", p + "l"}, {"value", "a"}}},
        {"Range", {{"key", p + "l"}, {"start", 0}, {"stop", -1}}},
        {"Get", {{"key", p + "l"}}},
        {"SetAdd", {{"key", p + "x"}, {"value", "1"}}},
        {"SetAdd", {{"key", p + "x"}, {"value", "1"}}},
        {"SetAdd", {{"key", p + "x"}, {"value", "2"}}},
        {"SetAdd", {{"key", p + "y"}, {"value", "2"}}},
        {"SetAdd", {{"key", p + "y"}, {"value", "3"}}},
        {"SetQuery", {{"key", p + "x"}}},
        {"SetUnion", {{"keys", {p + "x", p + "y"}}}},
        {"SetIntersection", {{"keys", {p + "x", p + "y"}}}},
        {"SetRemove", {{"key", p + "x"}, {"value", "1"}}},
        {"SetRemove", {{"key", p + "x"}, {"value", "9"}}},
        {"SetQuery", {{"key", p + "x"}}},
        {"Del", {{"key", p + "s"}}},
        {"KeyExists", {{"key", p + "s"}}},
        {"Clear", {{"key", p + "l"}}},
        {"Range", {{"key", p + "l"}, {"start", 0}, {"stop", -1}}},
    };
    for (const auto& step : steps) {
      const auto& [operation, request] = step;
      CAPTURE(step.first);  // clang 14 cannot capture a structured binding
      CAPTURE(step.second.dump());
      CHECK(outcome(redis, operation, request) == outcome(memory, operation, request));
    }
    CHECK(outcome(redis, "Get", {{"key", p + "n"}}) == R"({"value":"-2","exists":true})");
  }

  TEST_CASE("keyvalue on Redis: a server that is not there is a bind error naming the URL") {
    keyvalue_redis::Provider redis;
    auto refused = redis.bind_actor("MACTOR", {{"URL", "redis://127.0.0.1:1"}});
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message.find("cannot connect on redis://127.0.0.1:1") != std::string::npos);
  }

  TEST_CASE("messaging on NATS: subscriptions deliver, queue groups share, Publish and Request go out") {
    const std::string url = server_url("WASCC_TEST_NATS_URL");
    messaging_nats::Provider nats;
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::string, int> delivered;
    nats.set_dispatcher(
        [&](const std::string& actor, std::string_view, ByteView payload) -> Result<Bytes, wapc::CallFailure> {
          auto message = messaging_contract::decode_publish(payload);
          REQUIRE(message.ok());
          if (!message->reply_to.empty()) {
            (void)nats.handle_call(
                actor, "Publish",
                messaging_contract::encode_broker_message({message->reply_to, "", actor + ":" + message->body}));
          }
          std::lock_guard lock(mutex);
          ++delivered[actor];
          changed.notify_all();
          return Bytes{0xc0};
        });
    const std::string subject = "t" + nuid::next();
    REQUIRE(nats.bind_actor("MQ1", {{"URL", url}, {"SUBSCRIPTION", subject + ".*"}, {"QUEUEGROUP_NAME", "g"}}).ok());
    REQUIRE(nats.bind_actor("MQ2", {{"URL", url}, {"SUBSCRIPTION", subject + ".*"}, {"QUEUEGROUP_NAME", "g"}}).ok());
    REQUIRE(nats.bind_actor("MCALLER", {{"URL", url}}).ok());

    auto reply =
        nats.handle_call("MCALLER", "Request", messaging_contract::encode_request({subject + ".a", "ping", 2000}));
    REQUIRE(reply.ok());
    const std::string text(reply->begin(), reply->end());
    CHECK((text == "MQ1:ping" || text == "MQ2:ping"));

    for (int i = 0; i < 40; ++i) {
      REQUIRE(
          nats.handle_call("MCALLER", "Publish", messaging_contract::encode_broker_message({subject + ".b", "", "x"}))
              .ok());
    }
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(5), [&] { return delivered["MQ1"] + delivered["MQ2"] >= 41; });
    CHECK(delivered["MQ1"] + delivered["MQ2"] == 41);  // one member of the group per message
    CHECK(delivered["MQ1"] > 0);
    CHECK(delivered["MQ2"] > 0);
    lock.unlock();

    CHECK_ERROR(
        nats.handle_call("MCALLER", "Request", messaging_contract::encode_request({subject + "-nobody", "", 100})),
        "wascc:messaging: request to " + subject + "-nobody: No responders available for request");
    auto unreachable = nats.bind_actor("MX", {{"URL", "nats://127.0.0.1:1"}});
    REQUIRE_FALSE(unreachable.ok());
    CHECK(unreachable.error().message.find("cannot connect to nats://127.0.0.1:1") != std::string::npos);
    CHECK_ERROR(nats.bind_actor("MX", {{"URL", url}, {"CLIENT_JWT", "eyJ"}}),
                "wascc:messaging: CLIENT_JWT needs CLIENT_SEED");
    nats.stop();
  }
}
