#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/wascap/claims.h"
#include "wascc/base/unix_time.h"

using namespace wascc;

TEST_CASE("claims JSON reproduces a real wash-signed payload byte for byte") {
  // custom_template_component_s.wasm (spec §3).
  const std::string real =
      R"({"jti":"osBNnIC89IAExxvg37IBUg","iat":1718560953,"iss":"ABWMSYBDVEWY4VC2CYGZ2NANSSAPUWYOUQ267AUQCXECJFA5QT7B2GJH","sub":"MDHRACIQ4KP7UJ2SDYYQINRLJJWDHSJPL6YGOMCORJS4FKIEM5ZEZK3E","wascap":{"name":"custom-template-component","hash":"3E980E73B26550A01F57E4DDF34A19E7F73F3B427C402020FB8A9BE1BCD334C8","tags":["wasmcloud.com/experimental"],"rev":0,"ver":"0.1.0","prov":false},"wascap_revision":3})";
  auto claims = claims::from_json(jwt::Json::parse(real));
  REQUIRE(claims.ok());
  CHECK(claims->wascap_revision == 3u);
  CHECK(claims->tags == std::vector<std::string>{"wasmcloud.com/experimental"});
  CHECK_FALSE(claims->capabilities.has_value());
  CHECK(claims::to_json_text(*claims) == real);
}

TEST_CASE("exp and nbf sit where serde puts them") {
  claims::ModuleClaims claims;
  claims.jti = "j";
  claims.issued_at = 10;
  claims.issuer = "A";
  claims.subject = "M";
  claims.expires = 20;
  claims.not_before = 5;
  claims.module_hash = "H";
  claims.call_alias = "a/b";
  CHECK(
      claims::to_json_text(claims) ==
      R"({"exp":20,"jti":"j","iat":10,"iss":"A","sub":"M","nbf":5,"wascap":{"hash":"H","call_alias":"a/b","prov":false}})");
}

TEST_CASE("2019 flat tokens are read as a legacy format") {
  auto claims = claims::from_json(jwt::Json::parse(
      R"({"jti":"x","iat":1,"iss":"A","sub":"M","hash":"AB","caps":["wascap:keyvalue"],"prov":false})"));
  REQUIRE(claims.ok());
  CHECK(claims->format == claims::TokenFormat::Flat2019);
  CHECK(claims->module_hash == "AB");
  CHECK(claims->capabilities == std::vector<std::string>{"wascap:keyvalue"});
}

TEST_CASE("bad claims name the field") {
  auto check_error = [](const char* json, const char* message) {
    auto claims = claims::from_json(jwt::Json::parse(json));
    REQUIRE_FALSE(claims.ok());
    CHECK(claims.error().message == message);
  };
  check_error(R"({"iat":1,"iss":"A","sub":"M","wascap":{"hash":"H"}})", "claims.jti: missing (required)");
  check_error(R"({"jti":"x","iat":1,"iss":"A","sub":"M","nbf":10000000000000000000,"wascap":{"hash":"H"}})",
              "claims.nbf: 10000000000000000000 is after 9999-12-31T23:59:59Z, out of range");
  check_error(R"({"jti":"x","iat":1,"iss":"A","sub":"M","exp":253402300800,"wascap":{"hash":"H"}})",
              "claims.exp: 253402300800 is after 9999-12-31T23:59:59Z, out of range");
  check_error(R"({"jti":"x","iat":-1,"iss":"A","sub":"M","wascap":{"hash":"H"}})",
              "claims.iat: expected an unsigned integer");
  check_error(R"({"jti":"x","iat":1,"iss":"","sub":"M","wascap":{"hash":"H"}})",
              "claims.iss: empty: wascap requires an issuer");
  check_error(R"({"jti":"x","iat":1,"iss":"A","sub":"M","wascap":{"name":"n"}})",
              "claims.wascap.hash: missing (required)");
  check_error(R"({"jti":"x","iat":1,"iss":"A","sub":"M","wascap":{"hash":"H","tags":[1]}})",
              "claims.wascap.tags: expected an array of strings");
  check_error(R"({"jti":"x","iat":1,"iss":"A","sub":"M"})",
              "claims.wascap: missing: the token carries no module claims");
}

TEST_CASE("call aliases are normalised as wascap does and checked as wash does") {
  CHECK(*claims::normalize_call_alias("  My-Actor.v2 ") == "my_actor_v2");
  CHECK(*claims::normalize_call_alias("team/echo") == "team/echo");
  CHECK_ERROR(claims::normalize_call_alias("   "), "call alias cannot be empty");
  CHECK_ERROR(claims::normalize_call_alias("MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5"),
              "a public key cannot be used as a call alias");
  CHECK_ERROR(claims::normalize_call_alias("a+b"),
              "call alias \"a+b\" has invalid characters: use lowercase letters, digits, '_' and '/'");
}

TEST_CASE("relative times read as wascap prints them") {
  const uint64_t now = 1'700'000'000;
  CHECK(unix_time::relative_phrase(now + 1000, now) == "in 16m");
  CHECK(unix_time::relative_phrase(now - 30000, now) == "8h ago");
  CHECK(unix_time::relative_phrase(now - 1195 * 86400ULL - 5000, now) == "3years 3months 7days 22h 19m 12s ago");
  CHECK(unix_time::relative_phrase(now, now) == "in 0s");
  CHECK(unix_time::relative_phrase(now + 59, now) == "in 59s");
  CHECK(unix_time::expires_phrase(std::nullopt, now) == "never");
  CHECK(unix_time::can_be_used_phrase(std::nullopt, now) == "immediately");
  CHECK(unix_time::iso8601_utc(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("signer time specs: days, dates, date-times, epoch seconds") {
  const uint64_t now = 1'700'000'000;
  CHECK(*unix_time::parse_time_spec("30", now) == now + 30 * 86400);
  CHECK(*unix_time::parse_time_spec("0", now) == now);
  CHECK(*unix_time::parse_time_spec("2027-01-31", now) == 1801353600);
  CHECK(*unix_time::parse_time_spec("2027-01-31T12:00:01Z", now) == 1801353600 + 43201);
  CHECK(*unix_time::parse_time_spec("@42", now) == 42);
  for (const char* bad : {"", "-3", "2027-13-01", "2027-01-01T25:00:00Z", "tomorrow", "2027-01-01x"}) {
    CHECK_MESSAGE(!unix_time::parse_time_spec(bad, now).ok(), bad);
  }
}
