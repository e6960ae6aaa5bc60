// wascc:http_client against a real HTTP server on loopback, started by the test.
#include <doctest/doctest.h>

#include "check_error.h"
#include <httplib.h>

#include <thread>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/http_client_provider.h"

using namespace wascc;

namespace {

// A loopback server: /hello answers, /hop redirects to /hello, /away redirects to another host.
struct LocalServer {
  httplib::Server http;
  std::thread thread;
  int port = 0;
  LocalServer() {
    http.Get("/hello", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Seen", req.get_header_value("x-token"));
      res.set_content("hello " + req.get_param_value("who"), "text/plain");
    });
    http.Post("/echo",
              [](const httplib::Request& req, httplib::Response& res) { res.set_content(req.body, "text/plain"); });
    http.Get("/hop",
             [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/hello?who=redirected"); });
    http.Get("/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
    http.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(300'000, 'b'), "text/plain");
    });
    http.Get("/away",
             [](const httplib::Request&, httplib::Response& res) { res.set_redirect("http://example.invalid/x"); });
    port = http.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { http.listen_after_bind(); });
    while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LocalServer() {
    http.stop();
    thread.join();
  }
};

Result<Json> perform(http_client::Provider& provider, const std::string& method, const std::string& url,
                     const std::string& query = "", const std::string& body = "") {
  Json request = {
      {"method", method}, {"path", url}, {"queryString", query}, {"header", {{"x-token", "t1"}}}, {"body", body}};
  auto reply = provider.handle_call("MACTOR", "PerformRequest",
                                    *actor_codec::encode(*actor_codec::find_schema("Request"), request));
  if (!reply) return reply.error();
  return actor_codec::decode(*actor_codec::find_schema("Response"), *reply);
}

std::string body_of(const Json& response) {
  const auto& bytes = response["body"].get_binary();
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

TEST_CASE("http client: URLs and redirect locations") {
  auto url = http_client::parse_url("HTTPS://Example.com:8443/a/b?c=d");
  REQUIRE(url.ok());
  CHECK(url->scheme == "https");
  CHECK(url->host == "example.com");
  CHECK(url->port == 8443);
  CHECK(url->target == "/a/b?c=d");
  CHECK(http_client::parse_url("http://h")->target == "/");
  CHECK(http_client::parse_url("http://h?x=1")->target == "/?x=1");
  CHECK(http_client::parse_url("http://[::1]:81/")->port == 81);
  CHECK(http_client::parse_url("http://[::1]/")->port == 80);
  CHECK_ERROR(http_client::parse_url("ftp://h/"), "wascc:http_client: scheme ftp is not http or https");
  CHECK_ERROR(http_client::parse_url("/relative"), "wascc:http_client: \"/relative\" is not an absolute URL");
  CHECK_ERROR(http_client::parse_url("http://h:99999/"), "wascc:http_client: \"http://h:99999/\" has no valid port");
  CHECK(http_client::resolve_location(*url, "/x")->target == "/x");
  CHECK(http_client::resolve_location(*url, "c")->target == "/a/c");
  CHECK(http_client::resolve_location(*url, "http://other/")->host == "other");
  CHECK(http_client::resolve_location(*url, "//other:1/p")->port == 1);
}

TEST_CASE("http client: allowed hosts, redirects re-checked, deny by default") {
  LocalServer server;
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port);
  http_client::Provider provider;

  REQUIRE(provider.bind_actor("MACTOR", {}).ok());
  auto denied = perform(provider, "GET", base + "/hello");
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().message == "wascc:http_client: actor MACTOR may not reach 127.0.0.1:" +
                                      std::to_string(server.port) + " (not in the binding's ALLOWED_HOSTS)");

  REQUIRE(provider.bind_actor("MACTOR", {{"ALLOWED_HOSTS", "example.com, 127.0.0.1"}, {"timeout", "5"}}).ok());
  auto hello = perform(provider, "GET", base + "/hello", "who=actor");
  REQUIRE(hello.ok());
  CHECK((*hello)["statusCode"] == 200);
  CHECK((*hello)["status"] == "OK");
  CHECK((*hello)["header"]["x-seen"] == "t1");
  CHECK(body_of(*hello) == "hello actor");
  auto echoed = perform(provider, "POST", base + "/echo", "", "payload");
  REQUIRE(echoed.ok());
  CHECK(body_of(*echoed) == "payload");
  auto hopped = perform(provider, "GET", base + "/hop");
  REQUIRE(hopped.ok());
  CHECK(body_of(*hopped) == "hello redirected");
  auto away = perform(provider, "GET", base + "/away");
  REQUIRE_FALSE(away.ok());
  CHECK(away.error().message.find("may not reach example.invalid:80") != std::string::npos);

  REQUIRE(
      provider
          .bind_actor("MACTOR", {{"ALLOWED_HOSTS", "127.0.0.1:" + std::to_string(server.port)}, {"max_redirects", "3"}})
          .ok());
  auto looping = perform(provider, "GET", base + "/loop");
  REQUIRE(looping.ok());
  CHECK((*looping)["statusCode"] == 302);  // after 3 redirects the 4th answer is returned as it is
  REQUIRE(provider.bind_actor("MACTOR", {{"ALLOWED_HOSTS", "*"}, {"timeout", "1"}}).ok());
  auto refused = perform(provider, "GET", "http://127.0.0.1:1/");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("GET http://127.0.0.1:1/: ") != std::string::npos);
  CHECK_ERROR(provider.bind_actor("MACTOR", {{"timeout", "soon"}}),
              "wascc:http_client: timeout \"soon\" is not a number");
  CHECK_ERROR(provider.handle_call("MACTOR", "Get", {}), "wascc:http_client has no operation Get");
}

TEST_CASE("http client: a response body over max_response_bytes is cut off with an error, not buffered") {
  LocalServer server;
  http_client::Provider provider;
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port);
  REQUIRE(provider.bind_actor("MACTOR", {{"ALLOWED_HOSTS", "127.0.0.1"}, {"max_response_bytes", "100000"}}).ok());
  auto big = perform(provider, "GET", base + "/big");
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message == "wascc:http_client: GET http://127.0.0.1:" + std::to_string(server.port) +
                                   "/big: response body larger than max_response_bytes (100000)");
  REQUIRE(provider.bind_actor("MACTOR", {{"ALLOWED_HOSTS", "127.0.0.1"}}).ok());  // default 16 MiB
  auto fits = perform(provider, "GET", base + "/big");
  REQUIRE(fits.ok());
  CHECK(body_of(*fits).size() == 300'000);
}
