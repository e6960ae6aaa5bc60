// Lattice invocations: what a receiver accepts and each reason it refuses, without a server.
#include <doctest/doctest.h>

#include "actor_fixtures.h"
#include "check_error.h"

#include <chrono>

#include "wascc/runner/invocation_ledger.h"
#include "wascc/runner/lattice_invocation.h"
#include "wascc/runner/lattice_links.h"
#include "wascc/runner/lattice_registry.h"
#include "wascc/wascap/jwt.h"

using namespace wascc;
namespace invocation = lattice_invocation;

namespace {

constexpr const char* kActor = "MDKF3G65ODB5T6L2GYDSK2Y3ZSDHBCWLMQ53HNQ3GTTAYBGKMAVH5OB4";

uint64_t now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

struct Fixture {
  invocation::Signer signer{nkeys::KeyPair::generate(nkeys::KeyType::Cluster),
                            nkeys::KeyPair::generate(nkeys::KeyType::Server).public_key_text()};
  uint64_t now = now_ms();
  invocation::Invocation call =
      invocation::make(signer, invocation::capability_url("wascc:http_server", "default"),
                       invocation::actor_url(kActor), "HandleRequest", Bytes{1, 2, 3}, now + 2000);
  invocation::Expectations expected{{signer.cluster_key.public_key_text()}, invocation::actor_url(kActor), now};
};

}  // namespace

TEST_CASE("entity URLs are waSCC's") {
  CHECK(invocation::actor_url(kActor) == std::string("wasmbus://") + kActor);
  CHECK(invocation::capability_url("wascc:http_server", "default") == "wasmbus://wascc/http_server/default");
  CHECK(invocation::capability_url("Acme:Key Value", "b1") == "wasmbus://acme/key_value/b1");
}

TEST_CASE("an invocation survives the wire and verifies") {
  Fixture f;
  auto decoded = invocation::decode(invocation::encode(f.call));
  REQUIRE(decoded.ok());
  CHECK(decoded->origin == f.call.origin);
  CHECK(decoded->target == f.call.target);
  CHECK(decoded->operation == "HandleRequest");
  CHECK(decoded->msg == Bytes{1, 2, 3});
  CHECK(decoded->id == f.call.id);
  CHECK(decoded->id.size() == 22);
  CHECK(decoded->host_id == f.signer.host_id);
  CHECK(decoded->deadline_ms == f.call.deadline_ms);
  CHECK(invocation::verify(*decoded, f.expected).ok());
  // The token is a wascap invocation token: its hash covers origin, target/operation and msg.
  auto token = jwt::decode(decoded->encoded_claims);
  REQUIRE(token.ok());
  CHECK(token->payload["iss"] == f.signer.cluster_key.public_key_text());
  CHECK(token->payload["jti"] == f.call.id);
  CHECK(token->payload["wascap"]["target_url"] == std::string("wasmbus://") + kActor + "/HandleRequest");
  CHECK(token->payload["wascap"]["origin_url"] == "wasmbus://wascc/http_server/default");
  CHECK(token->payload["exp"].get<uint64_t>() * 1000 >= f.call.deadline_ms);
}

TEST_CASE("a receiver refuses each forgery with its own error") {
  Fixture f;
  SUBCASE("signed by a cluster key the lattice does not accept") {
    invocation::Signer stranger{nkeys::KeyPair::generate(nkeys::KeyType::Cluster), f.signer.host_id};
    auto forged = invocation::make(stranger, f.call.origin, f.call.target, "HandleRequest", {}, f.now + 2000);
    CHECK_ERROR(invocation::verify(forged, f.expected), "invocation issuer " + stranger.cluster_key.public_key_text() +
                                                            " is not a cluster issuer of this lattice");
  }
  SUBCASE("msg changed in flight") {
    f.call.msg.push_back(4);
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation hash does not match: origin, target, operation, msg or id changed after signing");
  }
  SUBCASE("operation changed in flight") {
    f.call.operation = "Other";
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation hash does not match: origin, target, operation, msg or id changed after signing");
  }
  SUBCASE("origin changed in flight") {
    f.call.origin = invocation::actor_url("MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5");
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation hash does not match: origin, target, operation, msg or id changed after signing");
  }
  SUBCASE("sent to another actor's subject") {
    f.expected.target = invocation::actor_url("MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5");
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation for " + f.call.target + " arrived on the subject of " + f.expected.target);
  }
  SUBCASE("arrived after its deadline") {
    f.expected.now_ms = f.call.deadline_ms + 5;
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation expired 5 ms before it could start (deadline passed)");
  }
  SUBCASE("exactly at its deadline: too late") {
    f.expected.now_ms = f.call.deadline_ms;
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation expired 0 ms before it could start (deadline passed)");
  }
  SUBCASE("deadline pushed past the token's expiry") {
    f.call.deadline_ms += 60'000;
    CHECK_ERROR(invocation::verify(f.call, f.expected), "invocation deadline is past its token's expiry");
  }
  SUBCASE("signature broken") {
    f.call.encoded_claims.back() = f.call.encoded_claims.back() == 'A' ? 'B' : 'A';
    auto verified = invocation::verify(f.call, f.expected);
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().message.rfind("invocation", 0) == 0);
  }
  SUBCASE("signed by an account key, not a cluster key") {
    const auto account = nkeys::KeyPair::generate(nkeys::KeyType::Account);
    f.call.encoded_claims = jwt::sign(R"({"iss":")" + account.public_key_text() + R"("})", account);
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation token: issuer \"" + account.public_key_text() + "\" is not a cluster key");
  }
  SUBCASE("a token whose signature is another key's") {
    const auto other = nkeys::KeyPair::generate(nkeys::KeyType::Cluster);
    auto token = jwt::decode(f.call.encoded_claims);
    REQUIRE(token.ok());
    f.call.encoded_claims = jwt::sign(json::dump(token->payload), other);  // claims iss = the real key
    CHECK_ERROR(invocation::verify(f.call, f.expected),
                "invocation signature does not verify with its issuer " + f.signer.cluster_key.public_key_text());
  }
}

TEST_CASE("malformed invocations and responses are named") {
  CHECK_ERROR(invocation::decode(Bytes{0x93, 1, 2, 3}), "lattice invocation: not a msgpack map");
  CHECK_ERROR(invocation::decode(Bytes{0x81, 0xa2, 'i', 'd', 0x01}), "lattice invocation: id: expected a string");
  CHECK_ERROR(invocation::decode(Bytes{0x80}), "lattice invocation: no id");
  CHECK_ERROR(invocation::decode_response(Bytes{0xc0}), "lattice response: not a msgpack map");
  invocation::Response response{Bytes{9}, "boom", "ID", "trap"};
  auto decoded = invocation::decode_response(invocation::encode_response(response));
  REQUIRE(decoded.ok());
  CHECK(decoded->msg == Bytes{9});
  CHECK(decoded->error == "boom");
  CHECK(decoded->invocation_id == "ID");
  CHECK(decoded->failure == "trap");
}

TEST_CASE("the ledger answers a retry from the first run and refuses a reused id") {
  invocation_ledger::Ledger ledger;
  const uint64_t now = 1000;
  CHECK(ledger.admit("id1", "token-a", now + 500, now).verdict == invocation_ledger::Verdict::Run);
  auto retry = ledger.admit("id1", "token-a", now + 500, now + 10);
  REQUIRE(retry.verdict == invocation_ledger::Verdict::Answer);
  CHECK(ledger.admit("id1", "token-b", now + 500, now + 10).verdict == invocation_ledger::Verdict::Replay);
  ledger.complete("id1", Bytes{7});
  CHECK(retry.answer.get() == Bytes{7});
  CHECK(ledger.admit("id1", "token-a", now + 500, now + 20).answer.get() == Bytes{7});
  // Past its deadline the entry goes (the invocation is refused as expired by then).
  CHECK(ledger.admit("id2", "t", now + 2000, now + 501).verdict == invocation_ledger::Verdict::Run);
  CHECK(ledger.size() == 1);
}

TEST_CASE("the ledger keeps a running entry past its deadline, and holds at most its capacity") {
  invocation_ledger::Ledger ledger(2);
  CHECK(ledger.admit("a", "t", 100, 0).verdict == invocation_ledger::Verdict::Run);
  CHECK(ledger.admit("b", "t", 200, 0).verdict == invocation_ledger::Verdict::Run);
  ledger.complete("b", {});
  CHECK(ledger.admit("c", "t", 300, 150).verdict == invocation_ledger::Verdict::Run);  // b goes: a still runs
  CHECK(ledger.size() == 2);
  CHECK(ledger.admit("a", "t", 100, 150).verdict == invocation_ledger::Verdict::Answer);
}

TEST_CASE("heartbeats round-trip and actor tokens are believed only when they verify") {
  const lattice_links::PublishedLink link{{kActor, "wascc:keyvalue", "default", {{"URL", "redis://x"}}}, "NHOST"};
  lattice_registry::HostRecord record{
      "NHOST", "default", 12, false, {{kActor, "not-a-token"}}, {{"wascc:keyvalue", "default"}}, {link}};
  auto decoded = lattice_registry::decode_heartbeat(as_bytes(lattice_registry::encode_heartbeat(record)));
  REQUIRE(decoded.ok());
  CHECK(decoded->host_id == "NHOST");
  CHECK(decoded->links == std::vector{link});
  CHECK(decoded->uptime_s == 12);
  REQUIRE(decoded->actors.size() == 1);
  CHECK(decoded->providers[0].contract == "wascc:keyvalue");
  lattice_registry::Registry registry({});
  auto refusals = registry.heard(*decoded);
  REQUIRE(refusals.size() == 1);
  CHECK(refusals[0].rfind(std::string("host NHOST: actor ") + kActor + ": claims token: ", 0) == 0);
  CHECK_FALSE(registry.claims_of(kActor).has_value());
  CHECK(registry.hosts().size() == 1);
  CHECK_ERROR(lattice_registry::decode_heartbeat(as_bytes(std::string(R"({"actors":[]})"))),
              "heartbeat: host_id: expected a string");
  CHECK_ERROR(lattice_registry::decode_heartbeat(as_bytes(std::string(R"({"host_id":"N","actors":[1]})"))),
              "heartbeat: actors: expected objects");
}

TEST_CASE("link definitions: wasmCloud's shape, one id per (actor, contract, link), each bad field named") {
  const lattice_links::PublishedLink link{{kActor, "wascc:http_server", "default", {{"PORT", "8080"}}}, "NHOST"};
  const Json shape = lattice_links::to_json(link);
  CHECK(shape["actor_id"] == kActor);
  CHECK(shape["provider_id"] == "");
  CHECK(shape["values"]["PORT"] == "8080");
  CHECK(shape["id"] == lattice_links::link_id(link.link));
  CHECK(lattice_links::link_id(link.link).size() == 64);
  CHECK(lattice_links::bucket_key(link.link) == "LINKDEF_" + lattice_links::link_id(link.link));
  auto other = link;
  other.link.values.clear();
  other.host_id = "NOTHER";
  CHECK(lattice_links::link_id(other.link) == lattice_links::link_id(link.link));  // values and host are not the key
  other.link.link_name = "cache";
  CHECK(lattice_links::link_id(other.link) != lattice_links::link_id(link.link));
  auto decoded = lattice_links::decode(lattice_links::encode(link));
  REQUIRE(decoded.ok());
  CHECK(*decoded == link);
  CHECK_ERROR(lattice_links::decode(R"({"contract_id":"c","link_name":"l"})"),
              "link definition: actor_id: expected a string");
  CHECK_ERROR(lattice_links::decode(R"({"actor_id":"a","contract_id":"c","link_name":"l","values":{"K":1}})"),
              "link definition: values: K: expected a string");
  CHECK_ERROR(lattice_links::decode(R"({"actor_id":"a","contract_id":"c","link_name":"l","values":{"K":[[[[1]]]]}})"),
              "link definition: nesting deeper than 4 levels");
  CHECK(lattice_links::bucket_name("prod-eu_1").value() == "LATTICEDATA_prod-eu_1");
  CHECK_ERROR(lattice_links::bucket_name("a:b"), "the lattice name \"a:b\" is not a bucket name ([A-Za-z0-9_-])");
}

TEST_CASE("names that would change a subject's meaning are refused") {
  CHECK(lattice_registry::check_subject_name("lattice name", "prod-eu_1").ok());
  for (const char* bad : {"a.b", "a*", "a>", "a b", ""}) {
    auto checked = lattice_registry::check_subject_name("lattice name", bad);
    REQUIRE_FALSE(checked.ok());
    CHECK(checked.error().message.rfind("lattice name ", 0) == 0);
  }
  CHECK(lattice_registry::provider_subject("default", "wascc:keyvalue", "default") ==
        "wasmbus.rpc.default.wascc:keyvalue.default");
  CHECK(lattice_registry::actor_subject("l1", kActor) == std::string("wasmbus.rpc.l1.") + kActor);
}

TEST_CASE("fields of the wrong type in a heartbeat or a token are refused, never thrown") {
  // Found by fuzz/lattice: nlohmann's value(key, "") threw on {"lattice": 888}.
  auto heartbeat = lattice_registry::decode_heartbeat(as_bytes(std::string(R"({"host_id":"N","lattice":888})")));
  REQUIRE(heartbeat.ok());
  CHECK(heartbeat->lattice.empty());
  Fixture f;
  f.call.encoded_claims = jwt::sign(R"({"iss":5,"jti":[],"wascap":{"hash":1}})", f.signer.cluster_key);
  CHECK_ERROR(invocation::verify(f.call, f.expected), "invocation token: issuer \"\" is not a cluster key");
}

TEST_CASE("an actor's claims token from the lattice is believed only for its own key, signed, by an allowed issuer") {
  auto actor = test::sign_forwarder({"wascc:keyvalue"});
  actor_host::Host host(test::interp_options());
  REQUIRE(host.add_actor(actor.wasm, "forwarder.wasm").ok());
  const std::string token = *host.claims_token_of(actor.key);
  const auto claims = *host.claims_of(actor.key);
  const auto other = nkeys::KeyPair::generate(nkeys::KeyType::Module).public_key_text();
  const uint64_t now = test::kNow;

  auto believed = lattice_registry::verify_actor_token(actor.key, token, {}, now);
  REQUIRE(believed.ok());
  CHECK(believed->capabilities == std::vector<std::string>{"wascc:keyvalue"});
  CHECK_ERROR(lattice_registry::verify_actor_token(other, token, {}, now),
              "actor " + other + ": claims are for " + actor.key);
  CHECK_ERROR(lattice_registry::verify_actor_token(actor.key, token, {"AOTHERISSUER"}, now),
              "actor " + actor.key + ": issuer " + claims.issuer + " is not allowed on this host");
  // The same claims signed by another account: the signature does not verify with the claimed issuer.
  auto decoded = jwt::decode(token);
  REQUIRE(decoded.ok());
  const std::string forged = jwt::sign(json::dump(decoded->payload), nkeys::KeyPair::generate(nkeys::KeyType::Account));
  CHECK_ERROR(lattice_registry::verify_actor_token(actor.key, forged, {}, now),
              "actor " + actor.key + ": claims signature does not verify with issuer " + claims.issuer);

  lattice_registry::Registry registry({});
  CHECK(registry.heard_claims(other, token) == "actor " + other + ": claims are for " + actor.key);
  CHECK_FALSE(registry.claims_of(other).has_value());
  CHECK_FALSE(registry.heard_claims(actor.key, token).has_value());
  CHECK(registry.claims_of(actor.key)->subject == actor.key);
  CHECK(registry.wait_for_actor(actor.key, std::chrono::milliseconds(0)));
}

TEST_CASE("a refused actor token is reported once, not with every heartbeat") {
  lattice_registry::Registry registry({});
  lattice_registry::HostRecord record{"NHOST", "default", 1, false, {{kActor, "not-a-token"}}, {}, {}};
  CHECK(registry.heard(record).size() == 1);
  CHECK(registry.heard(record).empty());
  CHECK_FALSE(registry.claims_of(kActor).has_value());
}
