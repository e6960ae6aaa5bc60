#include <doctest/doctest.h>

#include "check_error.h"

#include "file_fixtures.h"
#include "wascc/wascap/revocation_list.h"

using namespace wascc;

TEST_CASE("revocation list: one id per line, # comments and blank lines ignored") {
  auto list = revocation_list::parse("# revoked 2026-11\n\nMBCFOPM6 \n  jti-1234  # leaked token\n\t\n", "r.txt");
  REQUIRE_MESSAGE(list.ok(), list.error().message);
  CHECK(*list == std::vector<std::string>{"MBCFOPM6", "jti-1234"});
  CHECK(revocation_list::parse("", "r.txt")->empty());
  auto two = revocation_list::parse("MA\nMB MC\n", "r.txt");
  REQUIRE_FALSE(two.ok());
  CHECK(two.error().message == "r.txt:2: \"MB MC\" is not a subject or token id (one per line)");
}

TEST_CASE("revocation list: JSON as an array or {\"revoked\": [...]}, strings only") {
  CHECK(*revocation_list::parse(R"(["MA", "jti"])", "r.json") == std::vector<std::string>{"MA", "jti"});
  CHECK(*revocation_list::parse(R"(  {"revoked": ["MB"], "note": "x"})", "r.json") == std::vector<std::string>{"MB"});
  CHECK(revocation_list::parse(R"({"revocations": []})", "r.json").error().message ==
        "r.json: a JSON revocation list is an array, or an object with \"revoked\"");
  CHECK(revocation_list::parse(R"(["MA", 7])", "r.json").error().message == "r.json: [1]: expected a string");
  CHECK(revocation_list::parse(R"(["MA")", "r.json").error().message.rfind("r.json: not JSON: ", 0) == 0);
  CHECK(revocation_list::parse(std::string(100'000, '['), "r.json").error().message.find("deeper") !=
        std::string::npos);
}

TEST_CASE("revocation list: read names a missing file") {
  test::ScratchDirectory scratch("revocations");
  const auto file = scratch.write("r.txt", "MA\n");
  CHECK(*revocation_list::read(file) == std::vector<std::string>{"MA"});
  CHECK_ERROR(revocation_list::read(scratch.path() + "/missing.txt"),
              scratch.path() + "/missing.txt: cannot open: No such file or directory");
}
