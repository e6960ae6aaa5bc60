#include <doctest/doctest.h>

#include "wascc/runner/binding_spec.h"

using namespace wascc;

TEST_CASE("binding specs: capability, optional name, percent-decoded values") {
  auto plain = binding_spec::parse("wascc:keyvalue");
  REQUIRE(plain.ok());
  CHECK(plain->capability_id == "wascc:keyvalue");
  CHECK(plain->name == "default");
  CHECK(plain->values.empty());
  auto full = binding_spec::parse("wascc:keyvalue@cache?URL=redis://127.0.0.1:6379&X=a%26b");
  REQUIRE(full.ok());
  CHECK(full->name == "cache");
  CHECK(full->values.at("URL") == "redis://127.0.0.1:6379");
  CHECK(full->values.at("X") == "a&b");
  CHECK(binding_spec::parse("keyvalue").error().message ==
        "--bind 'keyvalue': expected CAPID[@BINDING][?KEY=VALUE&...], e.g. wascc:keyvalue");
  CHECK(binding_spec::parse("wascc:x@").error().message == "--bind 'wascc:x@': empty binding name after '@'");
  CHECK(binding_spec::parse("wascc:x?PORT").error().message == "--bind 'wascc:x?PORT': expected KEY=VALUE, got 'PORT'");
  CHECK(binding_spec::parse("wascc:x?A=%2").error().message == "--bind 'wascc:x?A=%2': incomplete %-escape");
}
