// The HTTP contract's codec in both directions, against actor_codec as the oracle: what the
// server writes (Request) and the client writes (Response) are the codec's bytes, and each
// decoder reads every form an actor may write.
#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/http_codec.h"

using namespace wascc;

TEST_CASE("http codec: the request encodes byte for byte as the codec's Request") {
  http_server::HttpRequest request{"POST", "/a/b?x=1&y", {{"Host", "h"}, {"X-Twice", "1"}, {"x-twice", "2"}}, "body"};
  Json expected = {{"method", "POST"},
                   {"path", "/a/b"},
                   {"queryString", "x=1&y"},
                   {"header", {{"host", "h"}, {"x-twice", "2"}}},
                   {"body", "body"}};
  auto encoded = actor_codec::encode(*actor_codec::find_schema("Request"), expected);
  REQUIRE(encoded.ok());
  CHECK(http_codec::encode_request(request) == *encoded);
  http_server::HttpRequest no_query{"GET", "/", {}, ""};
  auto decoded = actor_codec::decode(*actor_codec::find_schema("Request"), http_codec::encode_request(no_query));
  REQUIRE(decoded.ok());
  CHECK((*decoded)["queryString"] == "");
}

TEST_CASE("http codec: the actor's Response becomes the HTTP response; bad replies are errors") {
  Json reply = {{"statusCode", 201},
                {"status", "ignored"},
                {"header", {{"Content-Type", "text/plain"}, {"Content-Length", "999"}}},
                {"body", "made"}};
  auto response = http_codec::decode_response(*actor_codec::encode(*actor_codec::find_schema("Response"), reply));
  REQUIRE(response.ok());
  CHECK(response->status == 201);
  CHECK(response->body == "made");
  CHECK(response->headers.size() == 1);  // the server computes content-length itself
  CHECK(response->headers.begin()->first == "Content-Type");
  CHECK_ERROR(http_codec::decode_response(Bytes{0xc0}), "Response: expected a map or an array");
  Json zero = {{"statusCode", 0}, {"status", ""}};
  CHECK_ERROR(http_codec::decode_response(*actor_codec::encode(*actor_codec::find_schema("Response"), zero)),
              "the actor answered status code 0");
}

TEST_CASE("http codec: every encoding of a Response decodes alike (the fast path agrees with the codec)") {
  auto decode = [](const Bytes& wire) { return http_codec::decode_response(wire); };
  // {statusCode: 404, status: "NF", header: {b: "2", a: "1", b: "3"}, body: bin "xy", extra: [1]}
  const Bytes map_form{0x85, 0xaa, 's',  't',  'a', 't',  'u',  's',  'C', 'o',  'd', 'e',  0xcd, 0x01, 0x94, 0xa6,
                       's',  't',  'a',  't',  'u', 's',  0xa2, 'N',  'F', 0xa6, 'h', 'e',  'a',  'd',  'e',  'r',
                       0x83, 0xa1, 'b',  0xa1, '2', 0xa1, 'a',  0xa1, '1', 0xa1, 'b', 0xa1, '3',  0xa4, 'b',  'o',
                       'd',  'y',  0xc4, 0x02, 'x', 'y',  0xa5, 'e',  'x', 't',  'r', 'a',  0x91, 0x01};
  // The same as rmp-serde's positional array, the body as a list of ints.
  const Bytes array_form{0x94, 0xcd, 0x01, 0x94, 0xa2, 'N', 'F',  0x82, 0xa1, 'a',
                         0xa1, '1',  0xa1, 'b',  0xa1, '3', 0x92, 'x',  'y'};
  for (const Bytes* wire : {&map_form, &array_form}) {
    auto response = decode(*wire);
    REQUIRE_MESSAGE(response.ok(), response.error().message);
    CHECK(response->status == 404);
    CHECK(response->body == "xy");
    CHECK(response->headers == std::multimap<std::string, std::string>{{"a", "1"}, {"b", "3"}});
  }
  // Missing status (not defaulted by the contract), a negative code, a header value that is not
  // a string: errors on both paths, with the codec's words.
  const Bytes no_status{0x81, 0xaa, 's', 't', 'a', 't', 'u', 's', 'C', 'o', 'd', 'e', 0xcc, 200};
  CHECK(decode(no_status).error().message == "Response.status: missing field");
  const Bytes negative{0x82, 0xaa, 's',  't',  'a', 't', 'u', 's', 'C', 'o', 'd',
                       'e',  0xd0, 0x9c, 0xa6, 's', 't', 'a', 't', 'u', 's', 0xa0};
  CHECK(decode(negative).error().message == "Response.statusCode: expected a non-negative integer");
  const Bytes number_header{0x83, 0xaa, 's', 't', 'a',  't',  'u', 's', 'C', 'o', 'd', 'e', 0xcc, 200,  0xa6, 's', 't',
                            'a',  't',  'u', 's', 0xa0, 0xa6, 'h', 'e', 'a', 'd', 'e', 'r', 0x81, 0xa1, 'a',  0x01};
  CHECK(decode(number_header).error().message == "Response.header: value of \"a\" is not a string");
}

TEST_CASE("http codec: the client's side: a Response encodes byte for byte as the codec's, requests decode") {
  http_codec::HttpResponse response{404, {{"Content-Type", "text/plain"}, {"X-Twice", "1"}, {"x-twice", "2"}}, "gone"};
  Json expected = {{"statusCode", 404},
                   {"status", "Not Found"},
                   {"header", {{"content-type", "text/plain"}, {"x-twice", "2"}}},
                   {"body", Json::binary({'g', 'o', 'n', 'e'})}};
  auto encoded = actor_codec::encode(*actor_codec::find_schema("Response"), expected);
  REQUIRE(encoded.ok());
  CHECK(http_codec::encode_response(response, "Not Found") == *encoded);
  auto back = http_codec::decode_response(http_codec::encode_response(response, "Not Found"));
  REQUIRE(back.ok());
  CHECK(back->status == 404);
  CHECK(back->body == "gone");
  CHECK(back->headers == std::multimap<std::string, std::string>{{"content-type", "text/plain"}, {"x-twice", "2"}});

  // What an actor writes for PerformRequest: fields may be missing (the method defaults to GET).
  auto minimal = actor_codec::encode(*actor_codec::find_schema("Request"), Json{{"path", "http://h/x"}});
  REQUIRE(minimal.ok());
  auto request = http_codec::decode_request(*minimal);
  REQUIRE_MESSAGE(request.ok(), request.error().message);
  CHECK(request->method == "GET");
  CHECK(request->target == "http://h/x");
  CHECK(request->headers.empty());
  CHECK(request->body.empty());
  CHECK_ERROR(http_codec::decode_request(Bytes{0xc0}), "Request: expected a map or an array");
}

TEST_CASE("http codec: a request round-trips through the server's encoder and the client's decoder") {
  http_codec::HttpRequest request{"PUT", "/p?q=1?2", {{"A", "1"}, {"b", "2"}}, std::string("\0bin", 4)};
  auto back = http_codec::decode_request(http_codec::encode_request(request));
  REQUIRE(back.ok());
  CHECK(back->method == "PUT");
  CHECK(back->target == "/p?q=1?2");  // split at the first '?', joined again
  CHECK(back->headers == std::multimap<std::string, std::string>{{"a", "1"}, {"b", "2"}});
  CHECK(back->body == request.body);
}
