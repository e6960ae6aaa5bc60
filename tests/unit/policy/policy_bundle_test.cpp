// OPA bundles from outside, through libarchive: inputs the fuzzer found are kept here.
#include <doctest/doctest.h>

#include "check_error.h"
#include "wascc/base/bytes_io.h"
#include "wascc/policy/policy_gate.h"

using namespace wascc;

TEST_CASE("policy bundles: a tar libarchive rejects without an error text is an error, not a crash") {
  // fuzz/policy_bundle found it: archive_error_string() returned null and became a std::string.
  const std::string path = std::string(WASCC_TEST_DATA_DIR) + "/regress/libarchive-null-error.tar.gz";
  auto bytes = read_file_or_stdin(path);
  REQUIRE(bytes.ok());
  CHECK_ERROR(policy_gate::read_policy(std::move(bytes.value()), "found.tar.gz"),
              "found.tar.gz: not a valid bundle: unreadable archive");
}

TEST_CASE("policy bundles: a module that is not gzip'd is taken as it is") {
  auto bundle = policy_gate::read_policy(Bytes{0, 'a', 's', 'm', 1, 0, 0, 0}, "p.wasm");
  REQUIRE(bundle.ok());
  CHECK(bundle->wasm.size() == 8);
  CHECK_FALSE(bundle->data.has_value());
}
