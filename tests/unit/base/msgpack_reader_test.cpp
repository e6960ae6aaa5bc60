#include <doctest/doctest.h>

#include "wascc/actors/actor_codec.h"
#include "wascc/base/msgpack_reader.h"

using namespace wascc;

namespace {
Bytes nested_arrays(size_t depth) {
  Bytes bytes(depth, 0x91);  // fixarray of one element, repeated
  bytes.push_back(0xc0);
  return bytes;
}
}  // namespace

TEST_CASE("msgpack::value_extent: every format's length, from the first byte alone or its length field") {
  const std::vector<std::pair<Bytes, size_t>> cases = {
      {{0x05}, 1},                                    // positive fixint
      {{0xe0}, 1},                                    // negative fixint
      {{0xa3, 'a', 'b', 'c'}, 4},                     // fixstr
      {{0xd9, 0x02, 'h', 'i'}, 4},                    // str8
      {{0xc4, 0x01, 0xff}, 3},                        // bin8
      {{0xc5, 0x00, 0x01, 0xff}, 4},                  // bin16
      {{0xcb, 0, 0, 0, 0, 0, 0, 0, 0}, 9},            // float64
      {{0xd4, 0x01, 0x02}, 3},                        // fixext1
      {{0xc7, 0x01, 0x05, 0xaa}, 4},                  // ext8: length, type, data
      {{0x82, 0xa1, 'a', 0x01, 0xa1, 'b', 0x90}, 7},  // fixmap of two entries, one an empty array
      {{0xdc, 0x00, 0x02, 0xc2, 0xc3}, 5},            // array16
  };
  for (const auto& [bytes, length] : cases) {
    const int first_byte = bytes[0];  // clang 14: a structured binding cannot be captured
    CAPTURE(first_byte);
    auto extent = msgpack::value_extent(bytes);
    REQUIRE_MESSAGE(extent.ok(), extent.error().message);
    CHECK(*extent == length);
  }
}

TEST_CASE("msgpack::value_extent: truncations, the unused byte 0xc1 and huge declared counts are errors") {
  CHECK(msgpack::value_extent(Bytes{}).error().message == "truncated msgpack value at byte 0");
  CHECK(msgpack::value_extent(Bytes{0xa3, 'a'}).error().message == "truncated msgpack value at byte 1");
  CHECK(msgpack::value_extent(Bytes{0xc1}).error().message == "invalid msgpack byte 0xc1 at byte 0");
  // An array32 claiming 4 billion elements with none present: an error, not a long loop.
  CHECK(msgpack::value_extent(Bytes{0xdd, 0xff, 0xff, 0xff, 0xff}).error().message ==
        "truncated msgpack value at byte 5");
}

TEST_CASE("msgpack nested 100,000 deep is refused by the decoders instead of overflowing the stack") {
  CHECK(msgpack::value_extent(nested_arrays(512)).ok());
  CHECK(msgpack::value_extent(nested_arrays(100'000)).error().message == "msgpack nested deeper than 512 levels");
  const auto* response = actor_codec::find_schema("Response");
  REQUIRE(response != nullptr);
  auto decoded = actor_codec::decode(*response, nested_arrays(100'000));
  CHECK(decoded.error().message == "Response: not a msgpack value (msgpack nested deeper than 512 levels)");
  CHECK_FALSE(actor_codec::readable_json(nested_arrays(100'000)).has_value());
}

TEST_CASE("a contract reply followed by a zero byte (AssemblyScript's msgpack) decodes; display stays strict") {
  const auto* response = actor_codec::find_schema("Response");
  REQUIRE(response != nullptr);
  auto encoded = actor_codec::encode(*response, {{"statusCode", 200}, {"status", "OK"}, {"body", "ok"}});
  REQUIRE(encoded.ok());
  Bytes trailing = *encoded;
  trailing.push_back(0x00);
  auto decoded = actor_codec::decode(*response, trailing);
  REQUIRE_MESSAGE(decoded.ok(), decoded.error().message);
  CHECK((*decoded)["statusCode"] == 200);
  CHECK((*decoded)["status"] == "OK");
  CHECK(actor_codec::readable_json(*encoded).has_value());
  CHECK_FALSE(actor_codec::readable_json(trailing).has_value());
}

TEST_CASE("msgpack cursor: reads each kind at every width, and consumes nothing on a mismatch") {
  // {"a": 1} as fixmap; map16 with one entry; str8; bin16; uint16; int8 1; int8 -1; fixstr.
  const Bytes fix_bytes{0x81, 0xa1, 'a', 0x01};
  msgpack::Cursor fix(fix_bytes);
  CHECK(fix.map_header() == 1u);
  CHECK(fix.text() == "a");
  CHECK(fix.unsigned_integer() == 1u);
  CHECK(fix.offset() == 4);
  const Bytes wide_bytes{0xde, 0x00, 0x01, 0xd9, 0x01, 'k', 0xc5, 0x00, 0x02, 0xff, 0x00, 0xcd, 0x01, 0x00};
  msgpack::Cursor wide(wide_bytes);
  CHECK(wide.map_header() == 1u);
  CHECK(wide.text() == "k");
  CHECK_FALSE(wide.text().has_value());  // a bin is not a str
  CHECK(wide.offset() == 6);
  auto bytes = wide.binary_or_text();
  REQUIRE(bytes.has_value());
  CHECK(Bytes(bytes->begin(), bytes->end()) == Bytes{0xff, 0x00});
  CHECK(wide.unsigned_integer() == 256u);
  const Bytes signed_values_bytes{0xd0, 0x01, 0xd0, 0xff, 0xa2, 'o', 'k'};
  msgpack::Cursor signed_values(signed_values_bytes);
  CHECK(signed_values.unsigned_integer() == 1u);
  CHECK_FALSE(signed_values.unsigned_integer().has_value());  // -1
  CHECK(signed_values.offset() == 2);
  CHECK(signed_values.skip());
  auto text = signed_values.binary_or_text();  // a str is accepted where bytes are asked for
  REQUIRE(text.has_value());
  CHECK(text->size() == 2);
  CHECK_FALSE(signed_values.skip());  // nothing left
}

TEST_CASE("msgpack cursor: truncated lengths are refused, never read past the end") {
  Bytes kept;  // a cursor reads the caller's bytes, so they must outlive it
  auto cursor_of = [&kept](Bytes bytes) {
    kept = std::move(bytes);
    return msgpack::Cursor(kept);
  };
  CHECK_FALSE(cursor_of(Bytes{0xdb, 0xff, 0xff, 0xff, 0xff, 'x'}).text().has_value());
  CHECK_FALSE(cursor_of(Bytes{0xa5, 'a'}).text().has_value());
  CHECK_FALSE(cursor_of(Bytes{0xc6, 0x00}).binary_or_text().has_value());
  CHECK_FALSE(cursor_of(Bytes{0xdf, 0x00, 0x00}).map_header().has_value());
  CHECK_FALSE(cursor_of(Bytes{0xcf, 0x00}).unsigned_integer().has_value());
  CHECK_FALSE(cursor_of(Bytes{}).map_header().has_value());
}
