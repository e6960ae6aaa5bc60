#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "file_fixtures.h"
#include "wascc/wascap/keystore.h"

using namespace wascc;
using test::mode_of;

namespace {

std::string fresh_directory() {
  auto dir = std::filesystem::temp_directory_path() / ("wascc-keystore-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

}  // namespace

TEST_CASE("keys are generated once into the key directory, 0700/0600, then reused") {
  std::string dir = fresh_directory() + "/nested/keys";
  auto first = keystore::load_or_generate(dir, "me_account.nk", nkeys::KeyType::Account, true);
  REQUIRE(first.ok());
  CHECK(first->generated);
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(first->path) == 0600);
  CHECK(std::filesystem::file_size(first->path) == 58);  // the seed, no newline
  auto second = keystore::load_or_generate(dir, "me_account.nk", nkeys::KeyType::Account, true);
  REQUIRE(second.ok());
  CHECK_FALSE(second->generated);
  CHECK(second->key.public_key_text() == first->key.public_key_text());
  auto disabled = keystore::load_or_generate(dir, "other.nk", nkeys::KeyType::Module, false);
  REQUIRE_FALSE(disabled.ok());
  CHECK(disabled.error().message.find("no keypair found in") == 0);
  std::filesystem::remove_all(std::filesystem::path(dir).parent_path().parent_path());
}

TEST_CASE("keys from arguments: seed text, @file and plain path, whitespace trimmed") {
  const char* seed = "SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4";
  const char* expected = "ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2";
  CHECK(keystore::key_from_argument(seed, "--issuer")->public_key_text() == expected);
  std::string dir = fresh_directory();
  std::filesystem::create_directories(dir);
  std::string path = dir + "/seed.nk";
  std::ofstream(path) << "  " << seed << "\n\n";
  CHECK(keystore::key_from_argument("@" + path, "--issuer")->public_key_text() == expected);
  CHECK(keystore::key_from_argument(path, "--issuer")->public_key_text() == expected);
  auto missing = keystore::key_from_argument("@" + dir + "/absent.nk", "--issuer");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::Io);
  auto junk = keystore::key_from_argument("hello", "--issuer");
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.error().message == "--issuer: not a seed file, nor a valid seed: seed must be 58 characters, got 5");
  CHECK(*keystore::subject_key_file_name("dir/echo.wasm", false) == "echo_module.nk");
  CHECK(*keystore::subject_key_file_name("echo.wasm", true) == "echo_service.nk");
  // Piped modules: named after --name, never one shared "stdin" identity.
  CHECK(*keystore::subject_key_file_name("-", false, "my echo/v2") == "my_echo_v2_module.nk");
  CHECK(keystore::subject_key_file_name("-", false).error().message ==
        "the module comes from stdin: give --subject (its seed), or --name to keep its key as <name>_module.nk in the "
        "key directory");
  std::filesystem::remove_all(dir);
}
