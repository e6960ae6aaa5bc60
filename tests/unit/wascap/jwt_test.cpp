#include <doctest/doctest.h>

#include "wascc/wascap/claims.h"
#include "wascc/base/encoding.h"
#include "wascc/wascap/jwt.h"

using namespace wascc;

namespace {

// wascap's own test token (ensure_jwt_valid_segments): "Echo" rev 4, ver 0.3.4.
constexpr const char* kUpstreamToken =
    "eyJ0eXAiOiJqd3QiLCJhbGciOiJFZDI1NTE5In0."
    "eyJqdGkiOiJTakI1Zm05NzRTanU5V01nVFVjaHNiIiwiaWF0IjoxNjQ0ODQzNzQzLCJpc3MiOiJBQ09KSk42V1VQNE9ERDc1WEVCS0tUQ0NVSkpDWT"
    "VaS1E1NlhWS1lLNEJFSldHVkFPT1FIWk1DVyIsInN1YiI6Ik1CQ0ZPUE02SlcyQVBKTFhKRDNaNU80Q043Q1BZSjJCNEZUS0xKVVI1WVI1TUlUSVU3"
    "SEQzV0Q1Iiwid2FzY2FwIjp7Im5hbWUiOiJFY2hvIiwiaGFzaCI6IjRDRUM2NzNBN0RDQ0VBNkE0MTY1QkIxOTU4MzJDNzkzNjQ3MUNGN0FCNDUwMU"
    "Y4MzdGOEQ2NzlGNDQwMEJDOTciLCJ0YWdzIjpbXSwiY2FwcyI6WyJ3YXNtY2xvdWQ6aHR0cHNlcnZlciJdLCJyZXYiOjQsInZlciI6IjAuMy40Iiwi"
    "cHJvdiI6ZmFsc2V9fQ.ZWyD6VQqzaYM1beD2x9Fdw4o_Bavy3ZG703Eg4cjhyJwUKLDUiVPVhqHFE6IXdV4cW6j93YbMT6VGq5iBDWmAg";

}  // namespace

TEST_CASE("an upstream wascap token decodes and its signature verifies") {
  auto token = jwt::decode(kUpstreamToken);
  REQUIRE(token.ok());
  auto issuer = nkeys::decode_public_key(token->payload["iss"].get<std::string>());
  REQUIRE(issuer.ok());
  CHECK(jwt::verify_signature(*token, *issuer));
  auto claims = claims::from_json(token->payload);
  REQUIRE(claims.ok());
  CHECK(claims->name == "Echo");
  CHECK(claims->revision == 4);
  CHECK(claims->version == "0.3.4");
  CHECK(claims->capabilities == std::vector<std::string>{"wasmcloud:httpserver"});
  CHECK_FALSE(claims->wascap_revision.has_value());
  // Re-serialising reproduces the signed payload byte for byte (field order matters).
  std::string segment = std::string(kUpstreamToken).substr(40);
  auto payload = encoding::base64url_decode(segment.substr(0, segment.find('.')));
  REQUIRE(payload.ok());
  CHECK(claims::to_json_text(*claims) == as_text(*payload));
}

TEST_CASE("a tampered token does not verify") {
  std::string text = kUpstreamToken;
  text[60] = text[60] == 'a' ? 'b' : 'a';
  auto token = jwt::decode(text);  // the change keeps the payload JSON: only the signature can tell
  REQUIRE_MESSAGE(token.ok(), token.error().message);
  auto issuer = nkeys::decode_public_key("ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BEJWGVAOOQHZMCW");
  REQUIRE(issuer.ok());
  CHECK_FALSE(jwt::verify_signature(*token, *issuer));
}

TEST_CASE("malformed tokens name the problem") {
  CHECK(jwt::decode("asd.123123123").error().message == "invalid token format, expected 3 segments, found 2");
  CHECK(jwt::decode("asd.123.abc.easy").error().message == "invalid token format, expected 3 segments, found 4");
  CHECK(jwt::decode("ddd.123.notajwt").error().message.rfind("JWT header is not", 0) == 0);
  // NATS's own JWTs use alg "ed25519-nkey", which wascap does not accept.
  std::string nats_header = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ";
  CHECK(jwt::decode(nats_header + ".e30.AA").error().message == "invalid JWT algorithm: wascap only supports Ed25519");
}

TEST_CASE("sign then decode and verify") {
  auto key = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  std::string text = jwt::sign(R"({"jti":"x","iat":1})", key);
  CHECK(text.rfind("eyJ0eXAiOiJqd3QiLCJhbGciOiJFZDI1NTE5In0.", 0) == 0);
  auto token = jwt::decode(text);
  REQUIRE(token.ok());
  CHECK(jwt::verify_signature(*token, key.public_key()));
  auto other = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  CHECK_FALSE(jwt::verify_signature(*token, other.public_key()));
}
