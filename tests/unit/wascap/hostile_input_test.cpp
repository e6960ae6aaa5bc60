// Hostile input: thousands of corrupted modules (bit flips, byte changes, truncations,
// insertions) through every parser the tools expose. Each must answer with a value or a
// clean error, never crash; under the sanitizer build this is also a memory-safety check.
#include <doctest/doctest.h>

#include <random>

#include "guest_fixtures.h"
#include "wascc/wascap/module_signing.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/engine/metering.h"

using namespace wascc;

namespace {

Bytes mutate(const Bytes& original, std::mt19937& random) {
  Bytes bytes = original;
  std::uniform_int_distribution<int> kind(0, 3);
  const int edits = 1 + static_cast<int>(random() % 4);
  for (int e = 0; e < edits && !bytes.empty(); ++e) {
    size_t at = random() % bytes.size();
    switch (kind(random)) {
      case 0: bytes[at] ^= static_cast<uint8_t>(1u << (random() % 8)); break;
      case 1: bytes[at] = static_cast<uint8_t>(random()); break;
      case 2: bytes.resize(at); break;
      case 3: bytes.insert(bytes.begin() + static_cast<long>(at), static_cast<uint8_t>(random())); break;
    }
  }
  return bytes;
}

}  // namespace

TEST_CASE("hostile input: corrupted modules give errors, never crashes") {
  auto account = nkeys::KeyPair::from_seed("SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  auto subject = nkeys::KeyPair::from_seed("SMAJFHSZUOYLLPIW3HLYOMM7F6GABRPCETIVQ27BVYZ55XQNFYNTUTH57Y");
  REQUIRE(account.ok());
  REQUIRE(subject.ok());
  module_signing::SignOptions options;
  options.name = "hostile";
  options.issued_at = 1'800'000'000;
  const Bytes greeter = test::example("greeter");
  auto signed_module = module_signing::sign_module(greeter, *account, *subject, options);
  REQUIRE(signed_module.ok());
  const std::vector<Bytes> seeds = {test::example("echo"), test::example("wild_pointers"), greeter,
                                    signed_module->bytes()};
  auto engine = guest_launch::create_engine("interp");
  REQUIRE(engine.ok());
  std::mt19937 random(20261127);
  int rejected = 0, accepted = 0;
  for (int round = 0; round < 1500; ++round) {
    const Bytes& seed = seeds[static_cast<size_t>(round) % seeds.size()];
    Bytes bytes = mutate(seed, random);
    (void)module::read_layout(bytes);
    module_verification::Policy policy;
    policy.now = 1'800'000'000;
    auto report = module_verification::verify_module(bytes, policy);
    (void)wat::validate_binary(bytes, "mutant.wasm", {});
    (void)metering::instrument(bytes, "mutant.wasm", {});
    wapc::Options host_options;
    host_options.limits.fuel = 5'000'000;
    host_options.limits.max_memory_pages = 64;
    auto host = wapc::Host::load(**engine, bytes, "mutant.wasm", host_options);
    if (host) {
      ++accepted;
      (void)(*host)->call("echo", as_bytes("probe"));
    } else {
      ++rejected;
    }
  }
  // Both outcomes occur: the corpus exercises the error paths and the running ones.
  CHECK(rejected > 100);
  CHECK(accepted > 10);
}

TEST_CASE("hostile input: a signed module with any byte flipped never verifies") {
  auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  auto subject = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  module_signing::SignOptions options;
  options.name = "tamper";
  options.issued_at = 1'800'000'000;
  const Bytes greeter = test::example("greeter");
  auto signed_module = module_signing::sign_module(greeter, account, subject, options);
  REQUIRE(signed_module.ok());
  const Bytes good = signed_module->bytes();
  module_verification::Policy policy;
  policy.now = 1'800'000'000;
  std::mt19937 random(7);
  for (int round = 0; round < 400; ++round) {
    Bytes bad = good;
    bad[random() % bad.size()] ^= static_cast<uint8_t>(1u << (random() % 8));
    auto report = module_verification::verify_module(bad, policy);
    CHECK_FALSE((report.ok() && report->valid()));
  }
}
