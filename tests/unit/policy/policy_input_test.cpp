// The documents every policy sees (../shared/spec/opa-wasm.md, "Input document"), field by
// field: a policy that reads a renamed or retyped field silently decides on null.
#include <doctest/doctest.h>

#include "test_modules.h"
#include "wascc/base/sha256.h"
#include "wascc/policy/policy_input.h"
#include "wascc/wascap/module_signing.h"

using namespace wascc;

namespace {

constexpr uint64_t kNow = 1'800'000'000;

claims::ModuleClaims full_claims() {
  claims::ModuleClaims claims;
  claims.jti = "J1";
  claims.issued_at = 1'580'000'000;
  claims.issuer = "AISSUER";
  claims.subject = "MSUBJECT";
  claims.expires = kNow + 60;
  claims.not_before = kNow - 60;
  claims.name = "Echo";
  claims.module_hash = "ABCD";
  claims.tags = std::vector<std::string>{"edge"};
  claims.capabilities = std::vector<std::string>{"wascc:http_server"};
  claims.revision = 3;
  claims.version = "0.1.0";
  claims.call_alias = "echo/v1";
  return claims;
}

void check_envelope(const Json& document, const char* kind) {
  CHECK(document["version"] == "v1");
  CHECK(document["kind"] == kind);
  CHECK(document["requestId"].is_string());
  CHECK_FALSE(document["requestId"].get<std::string>().empty());
  CHECK(document["now"] == kNow);
  CHECK(document["host"] == Json{{"publicKey", ""}, {"lattice", "local"}, {"labels", Json::object()}});
}

}  // namespace

TEST_CASE("policy input: request.claims carries wasmCloud's fields, then ours, with their types") {
  const Json claims = policy_input::claims_object(full_claims(), kNow);
  const Json expected = {{"publicKey", "MSUBJECT"},  {"issuer", "AISSUER"},
                         {"issuedAt", "1580000000"},  // a string, as wasmCloud sends it
                         {"expiresAt", kNow + 60},   {"expired", false},
                         {"notBefore", kNow - 60},   {"jti", "J1"},
                         {"name", "Echo"},           {"caps", {"wascc:http_server"}},
                         {"tags", {"edge"}},         {"rev", 3},
                         {"ver", "0.1.0"},           {"callAlias", "echo/v1"},
                         {"moduleHash", "ABCD"}};
  CHECK(claims == expected);
  CHECK(claims.size() == expected.size());

  claims::ModuleClaims bare;
  bare.subject = "M";
  const Json minimal = policy_input::claims_object(bare, kNow);
  for (const char* field : {"expiresAt", "notBefore", "name", "rev", "ver", "callAlias"}) {
    CAPTURE(field);
    CHECK(minimal[field].is_null());
  }
  CHECK(minimal["caps"] == Json::array());
  CHECK(minimal["tags"] == Json::array());
  CHECK(policy_input::claims_object(std::nullopt, kNow).is_null());  // unsigned: null, not {}
}

TEST_CASE("policy input: expired agrees with verification at the exp second") {
  auto claims = full_claims();
  claims.expires = kNow;
  CHECK(policy_input::claims_object(claims, kNow)["expired"] == false);  // valid through its exp second
  CHECK(policy_input::claims_object(claims, kNow + 1)["expired"] == true);
}

TEST_CASE("policy input: startComponent names the module, its token and each check") {
  const Bytes module = test::small_module();
  const auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
  const auto subject = nkeys::KeyPair::generate(nkeys::KeyType::Module);
  module_signing::SignOptions options;
  options.name = "small";
  options.issued_at = kNow;
  auto signed_module = module_signing::sign_module(ByteView(module), account, subject, options);
  REQUIRE(signed_module.ok());
  const Bytes wasm = signed_module->bytes();
  module_verification::Policy policy;
  policy.now = kNow;
  auto report = module_verification::verify_module(wasm, policy);
  REQUIRE(report.ok());

  const Json document = policy_input::start_component(*report, "actors/small.wasm", wasm, kNow);
  check_envelope(document, "startComponent");
  const Json& request = document["request"];
  CHECK(request["componentId"] == subject.public_key_text());
  CHECK(request["imageRef"] == "file:actors/small.wasm");
  CHECK(request["module"] == Json{{"path", "actors/small.wasm"},
                                  {"sha256", sha256::hash_hex_upper(wasm)},
                                  {"size", wasm.size()},
                                  {"section", "jwt"}});
  CHECK(request["claims"]["issuer"] == account.public_key_text());
  CHECK(request["claims"]["name"] == "small");
  CHECK(request["jwt"]["header"] == Json{{"typ", "jwt"}, {"alg", "Ed25519"}});
  CHECK(request["jwt"]["payload"]["sub"] == subject.public_key_text());
  CHECK(request["checks"] == Json{{"signatureValid", true},
                                  {"hashValid", true},
                                  {"expired", false},
                                  {"notYetValid", false},
                                  {"issuerAllowed", true}});

  policy.allowed_issuers = {"ANOTHER"};
  auto refused = module_verification::verify_module(wasm, policy);
  REQUIRE(refused.ok());
  CHECK(policy_input::start_component(*refused, "x.wasm", wasm, kNow)["request"]["checks"]["issuerAllowed"] == false);

  module_verification::Report unsigned_report;
  const Json unsigned_document = policy_input::start_component(unsigned_report, "u.wasm", module, kNow);
  CHECK(unsigned_document["request"]["componentId"] == "");
  CHECK(unsigned_document["request"]["claims"].is_null());
  CHECK(unsigned_document["request"]["jwt"].is_null());
  CHECK(unsigned_document["request"]["module"]["section"].is_null());
  CHECK(unsigned_document["request"]["checks"]["signatureValid"] == false);
}

TEST_CASE("policy input: performInvocation to a provider and to an actor") {
  policy_input::Invocation call;
  call.origin_key = "MORIGIN";
  call.origin_claims = full_claims();
  call.interface = "wascc:keyvalue";
  call.function = "Get";
  call.link = "default";
  const Json document = policy_input::perform_invocation(call, kNow);
  check_envelope(document, "performInvocation");
  const Json& request = document["request"];
  CHECK(request["interface"] == "wascc:keyvalue");
  CHECK(request["function"] == "Get");
  CHECK(request["link"] == "default");
  CHECK(request["target"] == Json{{"contractId", "wascc:keyvalue"}, {"link", "default"}});
  CHECK(request["origin"]["componentId"] == "MORIGIN");
  CHECK(request["origin"]["claims"]["jti"] == "J1");
  CHECK_FALSE(request.contains("payload"));  // never the bytes: decisions stay cacheable

  call.interface = "MTARGET";
  call.target_actor = "MTARGET";
  const Json to_actor = policy_input::perform_invocation(call, kNow);
  CHECK(to_actor["request"]["target"]["componentId"] == "MTARGET");
  CHECK(to_actor["request"]["target"]["claims"].is_null());  // an actor whose claims the caller cannot see
  CHECK(to_actor["request"]["target"]["imageRef"] == "");
}
