#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/providers/http_listener.h"
#include "wascc/runner/oci_registry.h"

using namespace wascc;

TEST_CASE("oci reference: registry, repository, tag or digest, as wash writes them") {
  auto plain = oci_registry::parse_reference("localhost:5000/echo:0.1.0");
  REQUIRE(plain.ok());
  CHECK(plain->registry == "localhost:5000");
  CHECK(plain->repository == "echo");
  CHECK(plain->tag == "0.1.0");
  CHECK(plain->text() == "localhost:5000/echo:0.1.0");
  auto nested = oci_registry::parse_reference("oci://ghcr.io/org/actors/echo");
  REQUIRE(nested.ok());
  CHECK(nested->registry == "ghcr.io");
  CHECK(nested->repository == "org/actors/echo");
  CHECK(nested->tag == "latest");
  const std::string digest = "sha256:" + std::string(64, 'a');
  auto pinned = oci_registry::parse_reference("127.0.0.1:5000/echo@" + digest);
  REQUIRE(pinned.ok());
  CHECK(pinned->digest == digest);
  CHECK(pinned->text() == "127.0.0.1:5000/echo@" + digest);
}

TEST_CASE("oci reference: what is not a reference says why") {
  CHECK(oci_registry::parse_reference("echo").error().message ==
        "OCI reference \"echo\": expected REGISTRY/REPOSITORY[:TAG], e.g. localhost:5000/echo:0.1.0");
  CHECK(oci_registry::parse_reference("library/echo:1").error().message ==
        "OCI reference \"library/echo:1\": the registry \"library\" is not a host (give host:port or a domain)");
  CHECK(oci_registry::parse_reference("localhost/Echo").error().message ==
        "OCI reference \"localhost/Echo\": the repository must be lower-case letters, digits and . _ - /");
  CHECK(oci_registry::parse_reference("localhost/echo@sha256:12").error().message ==
        "OCI reference \"localhost/echo@sha256:12\": a digest is sha256: and 64 hex digits");
  CHECK_ERROR(oci_registry::parse_reference("localhost/echo:"),
              "OCI reference \"localhost/echo:\": the tag is empty or too long");
}

TEST_CASE("oci registry: a manifest over 4 MiB is refused while reading; push wants a tag") {
  // A registry that answers every manifest with 5 MiB, served by wascc's own HTTP server.
  auto registry = http_server::HttpListener::start({}, [](http_server::HttpRequest&) {
    return http_server::HttpResponse{200, {{"Content-Type", "application/json"}}, std::string(5u << 20, ' ')};
  });
  REQUIRE(registry.ok());
  auto reference = oci_registry::parse_reference("127.0.0.1:" + std::to_string((*registry)->port()) + "/huge:1");
  REQUIRE(reference.ok());
  auto pulled = oci_registry::pull(*reference);
  REQUIRE_FALSE(pulled.ok());
  CHECK(pulled.error().message == reference->text() + ": the manifest is over 4 MiB");
  auto pinned = oci_registry::parse_reference("127.0.0.1:1/x@sha256:" + std::string(64, '0'));
  REQUIRE(pinned.ok());
  auto pushed = oci_registry::push(*pinned, Bytes{0, 'a', 's', 'm'});
  REQUIRE_FALSE(pushed.ok());
  CHECK(pushed.error().message ==
        pinned->text() + ": push to a tag, not a digest (the digest is what the registry answers)");
}
