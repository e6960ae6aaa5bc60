// wapc cache list|clean and the cap after every compile: least recently used goes first.
#include <doctest/doctest.h>
#include <utime.h>

#include <filesystem>

#include "file_fixtures.h"
#include "wascc/engine/aot_cache.h"

using namespace wascc;

namespace {

// An artifact of `bytes` bytes last used at `when` (UNIX time), with its checksum file.
void plant(const test::ScratchDirectory& cache, const std::string& key, size_t bytes, time_t when) {
  const std::string so = cache.write(key + ".so", std::string(bytes, 'x'));
  const std::string sum = cache.write(key + ".sum", "0123");
  const utimbuf times{when, when};
  REQUIRE(::utime(so.c_str(), &times) == 0);
  REQUIRE(::utime(sum.c_str(), &times) == 0);
}

}  // namespace

TEST_CASE("aot cache: list is most recent first; trim drops the least recently used, never `keep`") {
  test::ScratchDirectory cache("aot-clean");
  plant(cache, "AAA", 1000, 1'700'000'000);  // oldest
  plant(cache, "BBB", 1000, 1'700'000'100);
  plant(cache, "CCC", 1000, 1'700'000'200);  // newest
  auto entries = aot_cache::list(cache.path());
  REQUIRE(entries.ok());
  REQUIRE(entries->size() == 3);
  CHECK((*entries)[0].key == "CCC");
  CHECK((*entries)[2].key == "AAA");
  CHECK((*entries)[0].bytes == 1004);  // the .so and its .sum

  auto trimmed = aot_cache::trim(cache.path(), 2100, /*keep=*/"AAA");
  REQUIRE(trimmed.ok());
  CHECK(trimmed->removed == 1);
  CHECK(trimmed->bytes_freed == 1004);
  CHECK(trimmed->bytes_left == 2008);
  CHECK(std::filesystem::exists(cache.path() + "/AAA.so"));  // kept though oldest
  CHECK_FALSE(std::filesystem::exists(cache.path() + "/BBB.so"));
  CHECK_FALSE(std::filesystem::exists(cache.path() + "/BBB.sum"));

  auto all = aot_cache::trim(cache.path(), 0);
  REQUIRE(all.ok());
  CHECK(all->removed == 2);
  CHECK(all->bytes_left == 0);
  CHECK(aot_cache::list(cache.path())->empty());
}

TEST_CASE("aot cache: a missing directory is an empty cache") {
  CHECK(aot_cache::list("/nonexistent/wascc/aot")->empty());
  CHECK(aot_cache::trim("/nonexistent/wascc/aot", 0)->removed == 0);
}
