#include <doctest/doctest.h>

#include "wascc/base/encoding.h"
#include "wascc/base/json.h"
#include "wascc/wascap/jwt.h"

using namespace wascc;

namespace {
std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }
}  // namespace

TEST_CASE("json::parse: documents nested 50,000 deep are refused, not dumped into a stack overflow") {
  CHECK(json::parse(nested_arrays(1000)).ok());
  auto deep = json::parse(nested_arrays(50'000));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().kind == ErrorKind::Input);
  CHECK(deep.error().message == "nesting deeper than 1000 levels");
  auto objects = json::parse(std::string(2000, '['));  // unbalanced too: the depth is found first
  CHECK(objects.error().message == "nesting deeper than 1000 levels");
  CHECK(json::parse(nested_arrays(5), {.max_depth = 4}).error().message == "nesting deeper than 4 levels");
}

TEST_CASE("json::parse: syntax errors keep nlohmann's position, without its exception prefix") {
  CHECK(json::parse("{\"a\":").error().message ==
        "parse error at line 1, column 6: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
  CHECK(json::parse("").error().message.starts_with("parse error at line 1, column 1"));
}

TEST_CASE("json::parse: duplicate keys are refused only when asked (claims)") {
  const std::string twice = R"({"exp":1,"nested":{"a":1,"b":2},"exp":2})";
  CHECK((*json::parse(twice))["exp"] == 2);  // last wins, as every JSON reader does by default
  auto strict = json::parse(twice, {.reject_duplicate_keys = true});
  CHECK(strict.error().message == "duplicate key \"exp\"");
  // The same key in sibling objects is no duplicate.
  CHECK(json::parse(R"({"a":{"k":1},"b":{"k":2}})", {.reject_duplicate_keys = true}).ok());
}

TEST_CASE("json::dump and put_bytes: binary from a guest never throws, and put_bytes keeps every byte") {
  Json value = {{"reply", std::string("\xff\xfe")}};
  CHECK(json::dump(value) == "{\"reply\":\"\xef\xbf\xbd\xef\xbf\xbd\"}");
  Json report = Json::object();
  const uint8_t binary[] = {0xff, 0xfe};
  json::put_bytes(report, "reply", binary);
  CHECK(json::dump(report) == R"({"reply_base64":"//4="})");
  Json text = Json::object();
  json::put_bytes(text, "reply", as_bytes("héllo"));
  CHECK(json::dump(text) == R"({"reply":"héllo"})");
}

TEST_CASE("jwt::decode: claims nested 100,000 deep or with a duplicate exp are input errors") {
  const std::string header = encoding::base64url_encode(as_bytes(jwt::kHeaderJson));
  auto token_with = [&](const std::string& payload) {
    return header + "." + encoding::base64url_encode(as_bytes(payload)) + ".c2ln";
  };
  auto deep = jwt::decode(token_with("{\"x\":" + nested_arrays(100'000) + "}"));
  CHECK(deep.error().message == "JWT payload is not valid JSON: nesting deeper than 1000 levels");
  auto duplicated = jwt::decode(token_with(R"({"exp":1,"exp":99999999999})"));
  CHECK(duplicated.error().message == "JWT payload is not valid JSON: duplicate key \"exp\"");
}

TEST_CASE("json::validate: the same verdicts as parse, without building the value") {
  CHECK(json::validate(R"({"a":[1,2,{"b":null}]})").ok());
  CHECK(json::validate(nested_arrays(50'000)).error().message == "nesting deeper than 1000 levels");
  CHECK(json::validate("{\"a\":").error().message == json::parse("{\"a\":").error().message);
  CHECK(json::validate(nested_arrays(3), 2).error().message == "nesting deeper than 2 levels");
}

TEST_CASE("json::validate: its fast scan accepts no text that nlohmann's reader refuses") {
  // Valid, and the corners of the grammar the scan walks itself.
  for (std::string_view text : {"0", "-0", "-0.5e-7", "1E+5", "123456789012345678901234567890", " \t\r\n[ ]\n", "{}",
                                "[[],{}]", R"({"a":{"b":[true,false,null,"x"]}})",
                                R"("\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00")", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
                                "\"\xed\x9f\xbf\xf4\x8f\xbf\xbf\"", "1e-400", "1.7976931348623157e308"}) {
    CAPTURE(text);
    CHECK(json::validate(text).ok());
  }
  // Invalid: numbers, literals, structure, escapes, UTF-8 (overlong, surrogate, past U+10FFFF,
  // truncated), control characters, a lone or reversed surrogate pair, numbers past a double.
  for (std::string_view text : {"",
                                " ",
                                "01",
                                "1.",
                                ".5",
                                "+1",
                                "-",
                                "1e",
                                "1e+",
                                "0x1",
                                "tru",
                                "nul",
                                "True",
                                "[1,]",
                                "{\"a\":1,}",
                                "{\"a\"}",
                                "{1:2}",
                                "[1 2]",
                                "{\"a\":1\"b\":2}",
                                "[",
                                "]",
                                "[}",
                                "{]",
                                "1 2",
                                "\"abc",
                                "\"\\x\"",
                                "\"\\u12\"",
                                "\"\\uD800\"",
                                "\"\\uDC00\\uD800\"",
                                "\"\\uD800\\u0041\"",
                                "\"\xc0\xaf\"",
                                "\"\xe0\x80\xaf\"",
                                "\"\xed\xa0\x80\"",
                                "\"\xf4\x90\x80\x80\"",
                                "\"\xf5\x80\x80\x80\"",
                                "\"\xc3\"",
                                "\"\xe2\x82\"",
                                "\"\x80\"",
                                "\"a\tb\"",
                                "\"\x01\"",
                                "1e400",
                                "-1e400",
                                "1.8e308",
                                "66666660000000002878366948501662376.66676666e6333333332",
                                "-1000000000000000000000000000000000000000000000000000000000000000000000000e300"}) {
    CAPTURE(text);
    CHECK_FALSE(json::validate(text).ok());
    CHECK_FALSE(json::parse(text).ok());
  }
  CHECK(json::validate(nested_arrays(1000)).ok());  // the limit itself is allowed
  CHECK_FALSE(json::validate(nested_arrays(1001)).ok());
}
