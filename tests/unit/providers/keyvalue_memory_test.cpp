#include <doctest/doctest.h>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/keyvalue_memory.h"

using namespace wascc;

namespace {

struct Client {
  keyvalue_memory::Provider provider;

  // Encodes the request with its schema, calls, decodes the reply with its schema.
  Json call(const char* operation, const char* request_schema, const char* reply_schema, const Json& request) {
    auto wire = actor_codec::encode(*actor_codec::find_schema(request_schema), request);
    REQUIRE(wire.ok());
    auto reply = provider.handle_call("MACTOR", operation, *wire);
    REQUIRE_MESSAGE(reply.ok(), reply.error().message);
    auto decoded = actor_codec::decode(*actor_codec::find_schema(reply_schema), *reply);
    REQUIRE(decoded.ok());
    return *decoded;
  }
  Result<Bytes> raw(const char* operation, const char* request_schema, const Json& request) {
    return provider.handle_call("MACTOR", operation,
                                *actor_codec::encode(*actor_codec::find_schema(request_schema), request));
  }
};

}  // namespace

TEST_CASE("keyvalue: strings, counters, existence") {
  Client kv;
  auto missing = kv.call("Get", "GetRequest", "GetResponse", {{"key", "k"}});
  CHECK(missing["value"] == "");
  CHECK(missing["exists"] == false);
  CHECK(kv.call("Set", "SetRequest", "SetResponse", {{"key", "k"}, {"value", "v"}})["value"] == "v");
  auto got = kv.call("Get", "GetRequest", "GetResponse", {{"key", "k"}});
  CHECK(got["value"] == "v");
  CHECK(got["exists"] == true);
  CHECK(kv.call("KeyExists", "KeyExistsQuery", "GetResponse", {{"key", "k"}})["exists"] == true);
  // Add is INCRBY: creates the key at 0.
  CHECK(kv.call("Add", "AddRequest", "AddResponse", {{"key", "counter"}, {"value", 5}})["value"] == 5);
  CHECK(kv.call("Add", "AddRequest", "AddResponse", {{"key", "counter"}, {"value", -2}})["value"] == 3);
  CHECK(kv.call("Get", "GetRequest", "GetResponse", {{"key", "counter"}})["value"] == "3");
  auto not_a_number = kv.raw("Add", "AddRequest", {{"key", "k"}, {"value", 1}});
  REQUIRE_FALSE(not_a_number.ok());
  CHECK(not_a_number.error().message == "ERR value is not an integer or out of range");
  CHECK(kv.call("Del", "DelRequest", "DelResponse", {{"key", "k"}})["key"] == "k");
  CHECK(kv.call("KeyExists", "KeyExistsQuery", "GetResponse", {{"key", "k"}})["exists"] == false);
}

TEST_CASE("keyvalue: lists are LPUSH/LRANGE/LREM") {
  Client kv;
  for (const char* item : {"a", "b", "c"})
    kv.call("Push", "ListPushRequest", "ListResponse", {{"key", "l"}, {"value", item}});
  auto all = kv.call("Range", "ListRangeRequest", "ListRangeResponse", {{"key", "l"}, {"start", 0}, {"stop", -1}});
  CHECK(all["values"] == Json::array({"c", "b", "a"}));  // pushed at the head
  auto two = kv.call("Range", "ListRangeRequest", "ListRangeResponse", {{"key", "l"}, {"start", 0}, {"stop", 1}});
  CHECK(two["values"] == Json::array({"c", "b"}));  // stop inclusive
  CHECK(kv.call("ListItemDelete", "ListDelItemRequest", "ListResponse", {{"key", "l"}, {"value", "b"}})["newCount"] ==
        1);
  CHECK(kv.call("Range", "ListRangeRequest", "ListRangeResponse",
                {{"key", "l"}, {"start", -1}, {"stop", -1}})["values"] == Json::array({"a"}));
  auto wrong = kv.raw("Get", "GetRequest", {{"key", "l"}});
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.rfind("WRONGTYPE", 0) == 0);
  kv.call("Clear", "ListClearRequest", "DelResponse", {{"key", "l"}});
  CHECK(kv.call("Range", "ListRangeRequest", "ListRangeResponse", {{"key", "l"}, {"start", 0}, {"stop", -1}})["values"]
            .empty());
}

TEST_CASE("keyvalue: sets, unions and intersections") {
  Client kv;
  CHECK(kv.call("SetAdd", "SetAddRequest", "ListResponse", {{"key", "s1"}, {"value", "x"}})["newCount"] == 1);
  CHECK(kv.call("SetAdd", "SetAddRequest", "ListResponse", {{"key", "s1"}, {"value", "x"}})["newCount"] == 0);
  kv.call("SetAdd", "SetAddRequest", "ListResponse", {{"key", "s1"}, {"value", "y"}});
  kv.call("SetAdd", "SetAddRequest", "ListResponse", {{"key", "s2"}, {"value", "y"}});
  kv.call("SetAdd", "SetAddRequest", "ListResponse", {{"key", "s2"}, {"value", "z"}});
  CHECK(kv.call("SetQuery", "SetQueryRequest", "SetQueryResponse", {{"key", "s1"}})["values"] ==
        Json::array({"x", "y"}));
  CHECK(kv.call("SetUnion", "SetUnionRequest", "SetQueryResponse", {{"keys", {"s1", "s2"}}})["values"] ==
        Json::array({"x", "y", "z"}));
  CHECK(kv.call("SetIntersection", "SetIntersectionRequest", "SetQueryResponse", {{"keys", {"s1", "s2"}}})["values"] ==
        Json::array({"y"}));
  CHECK(kv.call("SetRemove", "SetRemoveRequest", "ListResponse", {{"key", "s1"}, {"value", "x"}})["newCount"] == 1);
  auto unknown = kv.provider.handle_call("MACTOR", "Frobnicate", {});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "wascc:keyvalue has no operation Frobnicate");
}
