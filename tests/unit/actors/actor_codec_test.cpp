#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/actors/actor_codec.h"

using namespace wascc;

namespace {

const actor_codec::MessageSchema& schema(const char* name) {
  const auto* found = actor_codec::find_schema(name);
  REQUIRE_MESSAGE(found != nullptr, name);
  return *found;
}

std::vector<uint8_t> bytes_of(const Json& binary) {
  const auto& container = binary.get_binary();
  return std::vector<uint8_t>(container.begin(), container.end());
}

Bytes hex_bytes(const std::string& hex) {
  Bytes out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

TEST_CASE("encode: camelCase maps in declaration order, smallest ints, bin bytes") {
  auto wire = actor_codec::encode(schema("Response"), Json{{"body", "hi"}, {"status", "OK"}, {"statusCode", 200}});
  REQUIRE(wire.ok());
  // {statusCode: 200, status: "OK", header: {}, body: bin "hi"}
  CHECK(*wire == hex_bytes("84aa737461747573436f6465ccc8a6737461747573a24f4ba6686561646572"
                           "80a4626f6479c4026869"));
  auto empty_body = actor_codec::encode(schema("BrokerMessage"), Json{{"subject", "s"}, {"replyTo", ""}});
  REQUIRE(empty_body.ok());
  CHECK(Bytes(empty_body->end() - 2, empty_body->end()) == Bytes{0xc4, 0x00});  // empty bin
  auto small = actor_codec::encode(schema("AddRequest"), Json{{"key", "k"}, {"value", 1}});
  REQUIRE(small.ok());
  CHECK(small->back() == 0x01);  // positive fixint
}

TEST_CASE("decode leniently: by name or by position, bin or int arrays, any int width") {
  const auto& response = schema("Response");
  auto by_name =
      actor_codec::decode(response, hex_bytes("84aa737461747573436f6465ccc8a6737461747573a24f4ba6686561646572"
                                              "80a4626f6479c4026869"));
  REQUIRE(by_name.ok());
  CHECK((*by_name)["statusCode"] == 200);
  CHECK(bytes_of((*by_name)["body"]) == std::vector<uint8_t>{'h', 'i'});
  // Dialect A: [200, "OK", {}, [104, 105]] with 200 as uint16.
  auto by_position = actor_codec::decode(response, hex_bytes("94cd00c8a24f4b8092cc68cc69"));
  REQUIRE_MESSAGE(by_position.ok(), by_position.error().message);
  CHECK((*by_position)["statusCode"] == 200);
  CHECK(bytes_of((*by_position)["body"]) == std::vector<uint8_t>{'h', 'i'});
  // Unknown keys ignored; defaulted fields may be absent; required ones may not.
  auto lenient =
      actor_codec::decode(response, Json::to_msgpack(Json{{"statusCode", 404}, {"status", "x"}, {"extra", 1}}));
  REQUIRE(lenient.ok());
  CHECK((*lenient)["header"] == Json::object());
  auto missing = actor_codec::decode(schema("Request"), Json::to_msgpack(Json{{"method", "GET"}, {"path", "/"}}));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "Request.queryString: missing field");
  auto wrong = actor_codec::decode(schema("GetRequest"), Json::to_msgpack(Json{{"key", 5}}));
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "GetRequest.key: expected a string");
  CHECK_ERROR(actor_codec::decode(schema("GetRequest"), Bytes{0xc1}),
              "GetRequest: not a msgpack value (invalid msgpack byte 0xc1 at byte 0)");  // never-used byte
}

TEST_CASE("round trips for every schema, and optional strings as nil") {
  for (const auto& name : actor_codec::schema_names()) {
    CAPTURE(name);
    const auto& s = schema(name.c_str());
    auto wire = actor_codec::encode(s, Json::object());
    REQUIRE(wire.ok());
    auto back = actor_codec::decode(s, *wire);
    REQUIRE(back.ok());
    CHECK(back->size() == s.fields.size());
  }
  auto result = actor_codec::encode(schema("GeneratorResult"), Json{{"sequenceNumber", 7}});
  REQUIRE(result.ok());
  CHECK((*result)[1 + 1 + 4] == 0xc0);  // map header, fixstr "guid", then nil
  CHECK(actor_codec::encode(schema("WriteLogRequest"), Json{{"level", -1}}).error().message ==
        "WriteLogRequest.level: expected a non-negative integer");
}
