#include <doctest/doctest.h>

#include "test_modules.h"
#include "wascc/wasm/custom_sections.h"
#include "wascc/wascap/embedded_claims.h"
#include "wascc/wascap/module_signing.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/base/sha256.h"

using namespace wascc;

namespace {

constexpr uint64_t kNow = 1'800'000'000;
// Signed output views into its input, so inputs live as long as the tests.
const Bytes kSmallModule = test::small_module();
const Bytes kSmallComponent = test::small_component();

struct Keys {
  nkeys::KeyPair account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  nkeys::KeyPair module = nkeys::KeyPair::generate(nkeys::KeyType::Module);
};

module_signing::SignOptions options_named(const char* name) {
  module_signing::SignOptions options;
  options.name = name;
  options.issued_at = kNow;
  options.capabilities = {"wascc:messaging"};
  return options;
}

module_verification::Report verify(ByteView bytes, bool strict = false) {
  module_verification::Policy policy;
  policy.now = kNow;
  policy.strict = strict;
  auto report = module_verification::verify_module(bytes, policy);
  REQUIRE_MESSAGE(report.ok(), report.error().message);
  return report.value();
}

// Signs `claims_json` with `account` and appends it as a `jwt` section, as an old signer did.
Bytes append_legacy_token(const Bytes& module, const std::string& claims_json, const nkeys::KeyPair& account) {
  return custom_sections::append(module, "jwt", as_bytes(jwt::sign(claims_json, account)));
}

}  // namespace

TEST_CASE("canonical strip re-encodes section sizes minimally; raw strip keeps them") {
  Bytes padded = test::padded_module();
  auto layout = module::read_layout(padded);
  REQUIRE(layout.ok());
  auto canonical = embedded_claims::canonical_strip(padded, *layout);
  REQUIRE(canonical.ok());
  Bytes expected = padded;
  expected.erase(expected.begin() + 10, expected.begin() + 14);  // 84 80 80 80 00 -> 04
  expected[9] = 0x04;
  CHECK(canonical->flatten() == expected);
  CHECK(embedded_claims::raw_strip(padded, *layout).flatten() == padded);
}

TEST_CASE("a signed module verifies; its output is the input plus one section") {
  Keys keys;
  Bytes input = test::small_module();
  auto signed_module = module_signing::sign_module(input, keys.account, keys.module, options_named("echo"));
  REQUIRE(signed_module.ok());
  Bytes output = signed_module->bytes();
  CHECK(Bytes(output.begin(), output.begin() + static_cast<long>(input.size())) == input);
  CHECK(signed_module->claims.module_hash == sha256::hash_hex_upper(input));
  CHECK(signed_module->claims.wascap_revision == 3u);
  auto report = verify(output);
  CHECK(report.valid());
  CHECK(report.passed("signature"));
  CHECK(report.hash_rule == module_verification::HashRule::CanonicalStrip);
  CHECK(report.embedded->section_name == "jwt");
}

TEST_CASE("re-signing replaces the claims; wasmcloud_jwt matches modern wash") {
  Keys keys;
  auto first = module_signing::sign_module(kSmallModule, keys.account, keys.module, options_named("one"));
  REQUIRE(first.ok());
  auto options = options_named("two");
  options.section_name = "wasmcloud_jwt";
  Bytes first_bytes = first->bytes();
  auto second = module_signing::sign_module(first_bytes, keys.account, keys.module, options);
  REQUIRE(second.ok());
  Bytes second_bytes = second->bytes();
  auto layout = module::read_layout(second_bytes);
  REQUIRE(layout.ok());
  int claims_sections = 0;
  for (const auto& section : custom_sections::list(second_bytes, *layout)) {
    claims_sections += embedded_claims::is_claims_section_name(section.name);
  }
  CHECK(claims_sections == 1);
  auto report = verify(second_bytes);
  CHECK(report.valid());
  CHECK(report.claims->name == "two");
  CHECK(report.embedded->section_name == "wasmcloud_jwt");
  CHECK(second->claims.module_hash == first->claims.module_hash);
}

TEST_CASE("the signer refuses the wrong key types and multi-capability providers") {
  Keys keys;
  auto swapped = module_signing::sign_module(kSmallModule, keys.module, keys.account, options_named("x"));
  REQUIRE_FALSE(swapped.ok());
  CHECK(swapped.error().message == "issuer must be an account key (seed \"SA...\"), got a module key");
  auto options = options_named("p");
  options.provider = true;
  auto provider = module_signing::sign_module(kSmallModule, keys.account, keys.module, options);
  REQUIRE_FALSE(provider.ok());
  CHECK(provider.error().message == "subject must be a service key (seed \"SV...\"), got a module key");
  options.capabilities = {"a", "b"};
  auto service = nkeys::KeyPair::generate(nkeys::KeyType::Service);
  auto multi = module_signing::sign_module(kSmallModule, keys.account, service, options);
  REQUIRE_FALSE(multi.ok());
  CHECK(multi.error().message == "capability providers cannot provide multiple capabilities at once");
  auto malformed = module_signing::sign_module(as_bytes("not wasm"), keys.account, keys.module, options_named("x"));
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error().offset == 0u);
}

TEST_CASE("components are signed at the top level and verify") {
  Keys keys;
  auto signed_component = module_signing::sign_module(kSmallComponent, keys.account, keys.module, options_named("c"));
  REQUIRE(signed_component.ok());
  auto report = verify(signed_component->bytes());
  CHECK(report.valid());
  CHECK_FALSE(report.embedded->nested);
}

TEST_CASE("verification reports every failed check, not just the first") {
  auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  auto module = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  Bytes input = test::small_module();
  // Expired, not yet valid, subject of the wrong type, hash wrong at revision 3.
  std::string json = R"({"exp":1,"jti":"x","iat":1,"iss":")" + account.public_key_text() + R"(","sub":")" +
                     account.public_key_text() +
                     R"(","nbf":1900000000,"wascap":{"hash":"00","prov":false},"wascap_revision":3})";
  auto report = verify(append_legacy_token(input, json, account));
  CHECK_FALSE(report.valid());
  CHECK(report.passed("signature"));
  CHECK(report.find("hash")->status == module_verification::CheckStatus::Failed);
  CHECK(report.find("expiry")->status == module_verification::CheckStatus::Failed);
  CHECK(report.find("not_before")->status == module_verification::CheckStatus::Failed);
  CHECK(report.find("subject_type")->status == module_verification::CheckStatus::Failed);
  CHECK(report.find("expiry")->message == "token expired 57years 13days 18h ago (at 1970-01-01T00:00:01Z)");
}

TEST_CASE("legacy tokens: raw strip rule, warning when unverifiable, error under --strict") {
  auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  auto module = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  Bytes padded = test::padded_module();  // canonical strip != raw strip
  auto claims_with_hash = [&](const std::string& hash) {
    return R"({"jti":"x","iat":1,"iss":")" + account.public_key_text() + R"(","sub":")" + module.public_key_text() +
           R"(","wascap":{"hash":")" + hash + R"(","prov":false}})";
  };
  auto legacy = append_legacy_token(padded, claims_with_hash(sha256::hash_hex_upper(padded)), account);
  auto report = verify(legacy);
  CHECK(report.valid());
  CHECK(report.hash_rule == module_verification::HashRule::RawStrip);

  auto mismatched = append_legacy_token(padded, claims_with_hash("ABCD"), account);
  auto lenient = verify(mismatched);
  CHECK(lenient.valid());
  CHECK(lenient.find("hash")->status == module_verification::CheckStatus::Warning);
  CHECK_FALSE(verify(mismatched, /*strict=*/true).valid());
}

TEST_CASE("unsigned modules and broken tokens are reported, not thrown") {
  auto unsigned_report = verify(test::small_module());
  CHECK_FALSE(unsigned_report.valid());
  CHECK(unsigned_report.find("signed")->message ==
        "module is not signed: no \"jwt\" or \"wasmcloud_jwt\" custom section");
  auto broken = custom_sections::append(test::small_module(), "jwt", as_bytes("not.a.jwt"));
  auto broken_report = verify(broken);
  CHECK_FALSE(broken_report.valid());
  CHECK(broken_report.find("token")->status == module_verification::CheckStatus::Failed);
}

TEST_CASE("tamper test: every byte flipped outside the claims section, and a sample inside, fails") {
  Keys keys;
  auto signed_module = module_signing::sign_module(kSmallModule, keys.account, keys.module, options_named("t"));
  REQUIRE(signed_module.ok());
  const Bytes good = signed_module->bytes();
  const size_t section_start = test::small_module().size();
  module_verification::Policy policy;
  policy.now = kNow;
  auto still_valid = [&](const Bytes& bytes) {
    auto report = module_verification::verify_module(bytes, policy);
    return report.ok() && report->valid();
  };
  REQUIRE(still_valid(good));
  size_t tried = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    // Outside the section: every byte. Inside: every 7th byte (the token is ~700 bytes).
    if (i >= section_start && (i - section_start) % 7 != 0) continue;
    for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}}) {
      Bytes tampered = good;
      tampered[i] ^= mask;
      CHECK_MESSAGE(!still_valid(tampered), "flip at offset " << i << " mask " << int(mask));
      ++tried;
    }
  }
  CHECK(tried > 2 * section_start);
}

TEST_CASE("waSCC 2020 providers (prov: true, a module subject key) verify with a warning; --strict refuses them") {
  auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  auto module = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  Bytes padded = test::padded_module();
  const std::string claims = R"({"jti":"p","iat":1,"iss":")" + account.public_key_text() + R"(","sub":")" +
                             module.public_key_text() + R"(","wascap":{"hash":")" + sha256::hash_hex_upper(padded) +
                             R"(","prov":true,"caps":["wascc:keyvalue"]}})";
  auto provider = append_legacy_token(padded, claims, account);
  auto lenient = verify(provider);
  CHECK(lenient.valid());
  REQUIRE(lenient.find("subject_type") != nullptr);
  CHECK(lenient.find("subject_type")->status == module_verification::CheckStatus::Warning);
  CHECK(lenient.find("subject_type")->message ==
        "subject " + module.public_key_text() +
            " is a module key: waSCC's 2020 providers were signed so; providers have service keys (V...) today "
            "(an error with --strict)");
  auto strict = verify(provider, /*strict=*/true);
  CHECK_FALSE(strict.valid());
  CHECK(strict.find("subject_type")->status == module_verification::CheckStatus::Failed);
}
