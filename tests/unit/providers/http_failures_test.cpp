// How the HTTP server answers each kind of actor failure: upstream's 500 for an error or a
// trap, but a deadline is a gateway timeout (504) and no free instance a retryable 503.
#include <doctest/doctest.h>

#include <httplib.h>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/http_server_provider.h"

using namespace wascc;

TEST_CASE("http server: a failed call answers by its kind: 500, 504 at the deadline, 503 when busy") {
  http_server::Provider provider;
  provider.set_dispatcher(
      [](const std::string&, std::string_view, ByteView payload) -> Result<Bytes, wapc::CallFailure> {
        auto request = actor_codec::decode(*actor_codec::find_schema("Request"), payload);
        const std::string path = (*request)["path"];
        if (path == "/error") return wapc::CallFailure{wapc::FailureKind::GuestError, "guest said no", {}};
        if (path == "/trap") return wapc::CallFailure{wapc::FailureKind::Trap, "unreachable", {}};
        if (path == "/fuel") return wapc::CallFailure{wapc::FailureKind::Limit, "out of fuel", limits::LimitKind::Fuel};
        if (path == "/slow")
          return wapc::CallFailure{wapc::FailureKind::Limit, "deadline", limits::LimitKind::Deadline};
        if (path == "/busy") return wapc::CallFailure{wapc::FailureKind::Unavailable, "every instance busy", {}};
        return actor_codec::encode(*actor_codec::find_schema("Response"),
                                   {{"statusCode", 200}, {"status", "OK"}, {"body", "fine"}})
            .value();
      });
  REQUIRE(provider.bind_actor("MACTOR", {{"PORT", "0"}}).ok());
  httplib::Client client("127.0.0.1", provider.port_of("MACTOR"));
  const std::pair<const char*, int> expected[] = {{"/ok", 200},   {"/error", 500}, {"/trap", 500},
                                                  {"/fuel", 500}, {"/slow", 504},  {"/busy", 503}};
  for (const auto& entry : expected) {
    const auto& [path, status] = entry;
    CAPTURE(std::string(entry.first));  // clang 14 cannot capture a structured binding
    auto response = client.Get(path);
    REQUIRE(response);
    CHECK(response->status == status);
  }
  auto busy = client.Get("/busy");
  REQUIRE(busy);
  CHECK(busy->get_header_value("retry-after") == "1");
  CHECK(busy->body == "The actor is busy");
  CHECK(client.Get("/error")->body == "Failed to handle request");
  provider.stop();
}
