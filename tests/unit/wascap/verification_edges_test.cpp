// The edges of each security check, where a planted off-by-one or a dropped check would
// otherwise pass: expiry and not-before at the exact second, the JWT header's typ and alg,
// an issuer that is not a valid key, an allow-list and a revocation list that hold a near miss.
#include <doctest/doctest.h>

#include "test_modules.h"
#include "wascc/base/encoding.h"
#include "wascc/wascap/jwt.h"
#include "wascc/wascap/module_signing.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/wasm/custom_sections.h"

using namespace wascc;

namespace {

constexpr uint64_t kExpires = 1'800'000'000;
const Bytes kModule = test::small_module();

struct Signed {
  nkeys::KeyPair account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  nkeys::KeyPair subject = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  Bytes wasm;
};

Signed sign_with(const module_signing::SignOptions& options) {
  Signed result;
  auto signed_module = module_signing::sign_module(ByteView(kModule), result.account, result.subject, options);
  REQUIRE_MESSAGE(signed_module.ok(), signed_module.error().message);
  result.wasm = signed_module->output.flatten();
  return result;
}

module_verification::Report verify_at(ByteView wasm, uint64_t now, module_verification::Policy policy = {}) {
  policy.now = now;
  auto report = module_verification::verify_module(wasm, policy);
  REQUIRE_MESSAGE(report.ok(), report.error().message);
  return report.value();
}

// A token with a header of our choosing, signed properly with `account`.
std::string token_with_header(const std::string& header_json, const nkeys::KeyPair& account) {
  const std::string payload = R"({"jti":"x","iat":1,"iss":")" + account.public_key_text() + R"("})";
  std::string input =
      encoding::base64url_encode(as_bytes(header_json)) + "." + encoding::base64url_encode(as_bytes(payload));
  const auto signature = account.sign(as_bytes(input));
  return input + "." + encoding::base64url_encode(ByteView(signature.data(), signature.size()));
}

}  // namespace

TEST_CASE("a token is valid through its exp second and expired the second after") {
  module_signing::SignOptions options;
  options.expires = kExpires;
  const auto module = sign_with(options);
  CHECK(verify_at(module.wasm, kExpires - 1).passed("expiry"));
  CHECK(verify_at(module.wasm, kExpires).passed("expiry"));
  const auto after = verify_at(module.wasm, kExpires + 1);
  CHECK_FALSE(after.valid());
  CHECK(after.find("expiry")->message == "token expired 1s ago (at 2027-01-15T08:00:00Z)");
}

TEST_CASE("a token is usable from its nbf second on, not the second before") {
  module_signing::SignOptions options;
  options.not_before = kExpires;
  const auto module = sign_with(options);
  const auto before = verify_at(module.wasm, kExpires - 1);
  CHECK_FALSE(before.valid());
  CHECK(before.find("not_before")->status == module_verification::CheckStatus::Failed);
  CHECK(verify_at(module.wasm, kExpires).passed("not_before"));
}

TEST_CASE("the JWT header must say typ jwt and alg Ed25519, exactly") {
  const auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  CHECK(jwt::decode(token_with_header(R"({"typ":"jwt","alg":"Ed25519"})", account)).ok());
  CHECK(jwt::decode(token_with_header(R"({"typ":"JWS","alg":"Ed25519"})", account)).error().message ==
        "invalid JWT header: typ must be \"jwt\"");
  CHECK(jwt::decode(token_with_header(R"({"alg":"Ed25519"})", account)).error().message ==
        "invalid JWT header: typ must be \"jwt\"");
  CHECK(jwt::decode(token_with_header(R"({"typ":"jwt","alg":"none"})", account)).error().message ==
        "invalid JWT algorithm: wascap only supports Ed25519");
  CHECK(jwt::decode(token_with_header(R"({"typ":"jwt"})", account)).error().message ==
        "invalid JWT algorithm: wascap only supports Ed25519");
}

TEST_CASE("a one-character change in a well-formed token's payload fails its signature") {
  const auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  std::string text = token_with_header(R"({"typ":"jwt","alg":"Ed25519"})", account);
  const size_t payload_at = text.find('.') + 4;  // inside the payload, still base64url after the change
  text[payload_at] = text[payload_at] == 'A' ? 'B' : 'A';
  auto token = jwt::decode(text);
  REQUIRE_MESSAGE(token.ok(), token.error().message);
  CHECK_FALSE(jwt::verify_signature(*token, account.public_key()));
}

TEST_CASE("an issuer that is not a valid key fails the signature check, naming the key") {
  const auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  std::string issuer = account.public_key_text();
  issuer.back() = issuer.back() == 'A' ? 'B' : 'A';  // breaks the checksum
  const std::string json = R"({"jti":"x","iat":1,"iss":")" + issuer + R"(","sub":")" +
                           nkeys::KeyPair::generate(nkeys::KeyType::Module).public_key_text() +
                           R"(","wascap":{"hash":"00"}})";
  const Bytes wasm = custom_sections::append(kModule, "jwt", as_bytes(jwt::sign(json, account)));
  const auto report = verify_at(wasm, kExpires);
  CHECK_FALSE(report.valid());
  const auto* signature = report.find("signature");
  REQUIRE(signature != nullptr);
  CHECK(signature->status == module_verification::CheckStatus::Failed);
  CHECK(signature->message.rfind("issuer " + issuer + " is not a valid nkey: ", 0) == 0);
}

TEST_CASE("allow-lists and revocation lists match whole keys, not near misses") {
  const auto module = sign_with({});
  module_verification::Policy policy;
  const std::string issuer = module.account.public_key_text();
  policy.allowed_issuers = {issuer.substr(0, issuer.size() - 1)};
  const auto refused = verify_at(module.wasm, kExpires, policy);
  CHECK_FALSE(refused.valid());
  CHECK(refused.find("issuer_allowed")->message == "issuer " + issuer + " is not on the allow-list");
  policy.allowed_issuers = {issuer};
  CHECK(verify_at(module.wasm, kExpires, policy).valid());

  const std::string subject = module.subject.public_key_text();
  policy.revoked = {subject.substr(1)};
  CHECK(verify_at(module.wasm, kExpires, policy).valid());
  policy.revoked = {subject};
  const auto revoked = verify_at(module.wasm, kExpires, policy);
  CHECK_FALSE(revoked.valid());
  CHECK(revoked.find("revocation")->message == "subject " + subject + " is revoked");
}

TEST_CASE("a token whose issuer is not an account key fails, though its signature verifies") {
  const auto module_key = nkeys::KeyPair::generate(nkeys::KeyType::Module);  // signs, but may not issue
  const std::string json = R"({"jti":"x","iat":1,"iss":")" + module_key.public_key_text() + R"(","sub":")" +
                           nkeys::KeyPair::generate(nkeys::KeyType::Module).public_key_text() +
                           R"(","wascap":{"hash":"00"}})";
  const Bytes wasm = custom_sections::append(kModule, "jwt", as_bytes(jwt::sign(json, module_key)));
  const auto report = verify_at(wasm, kExpires);
  CHECK(report.passed("signature"));
  CHECK_FALSE(report.valid());
  const auto* issuer_type = report.find("issuer_type");
  REQUIRE(issuer_type != nullptr);
  CHECK(issuer_type->status == module_verification::CheckStatus::Failed);
  CHECK(issuer_type->message ==
        "issuer " + module_key.public_key_text() + " is a module key; modules are signed by account keys (A...)");
}
