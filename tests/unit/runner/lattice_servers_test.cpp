// Lattices over the real nats-server that tests/runner/runner_test.py starts
// (WASCC_TEST_NATS_URL): two hosts in one process, each joined as a runner; forged invocations
// sent straight to a runner's subject. Suite "servers": without the server these cases fail.
#include <doctest/doctest.h>

#include "actor_fixtures.h"
#include "check_error.h"

#include <cstdlib>
#include <thread>

#include "wascc/actors/actor_codec.h"
#include "wascc/base/sha256.h"
#include "wascc/providers/keyvalue_memory.h"
#include "wascc/runner/lattice.h"
#include "wascc/runner/lattice_links.h"
#include "wascc/wascap/jwt.h"
#include "wascc/wascap/nuid.h"

using namespace wascc;
namespace invocation = lattice_invocation;

namespace {

std::string nats_url() {
  const char* value = std::getenv("WASCC_TEST_NATS_URL");
  REQUIRE_MESSAGE(value != nullptr,
                  "WASCC_TEST_NATS_URL is not set: run this suite through tests/runner/runner_test.py");
  return value;
}

uint64_t now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

const nkeys::KeyPair& cluster_key() {
  static const auto key = nkeys::KeyPair::generate(nkeys::KeyType::Cluster);
  return key;
}

// One runner: a host with the given actors, joined to lattice `name` and serving.
struct Runner {
  actor_host::Host host{test::interp_options()};
  std::shared_ptr<lattice::Lattice> lattice;
  std::vector<std::string> notes;
  std::mutex notes_mutex;

  Runner(const std::string& name, const std::vector<test::SignedActor>& actors,
         std::shared_ptr<CapabilityProvider> provider = nullptr) {
    for (const auto& actor : actors) REQUIRE(host.add_actor(actor.wasm, "actor.wasm").ok());
    if (provider) REQUIRE(host.add_provider(provider).ok());
    lattice::Options options;
    options.servers = {nats_url()};
    options.name = name;
    options.cluster_seed = cluster_key().seed_text();
    options.rpc_timeout = std::chrono::milliseconds(1500);
    options.notice = [this](const std::string& text) {
      std::lock_guard lock(notes_mutex);
      notes.push_back(text);
    };
    auto joined = lattice::Lattice::join(host, options);
    REQUIRE(joined.ok());
    lattice = *joined;
    REQUIRE(lattice->serve_host().ok());
  }
  ~Runner() { lattice->leave(); }
};

// An invocation signed by `signer` with any id: what a peer holding a cluster key could send.
invocation::Invocation forged(const nkeys::KeyPair& signer, const std::string& id, const std::string& origin,
                              const std::string& target, const std::string& operation, const std::string& msg,
                              uint64_t deadline_ms) {
  invocation::Invocation call{origin, target, operation, Bytes(msg.begin(), msg.end()), id, "", "NFORGER", deadline_ms};
  const std::string target_url = target + "/" + operation;
  Json payload;
  payload["exp"] = (deadline_ms + 999) / 1000;
  payload["jti"] = id;
  payload["iat"] = deadline_ms / 1000 - 1;
  payload["iss"] = signer.public_key_text();
  payload["sub"] = id;
  payload["wascap"] = {{"target_url", target_url},
                       {"origin_url", origin},
                       {"hash", sha256::hash_hex_upper({as_bytes(origin), as_bytes(target_url), as_bytes(msg)})}};
  call.encoded_claims = jwt::sign(json::dump(payload), signer);
  return call;
}

invocation::Response send(const std::string& lattice_name, const std::string& actor,
                          const invocation::Invocation& call) {
  auto link = nats_link::Link::connect({{nats_url()}, "test", "", {}});
  REQUIRE(link.ok());
  auto reply = (*link)->request(lattice_registry::actor_subject(lattice_name, actor), invocation::encode(call), 3000);
  REQUIRE_MESSAGE(reply.ok(), reply.error().message);
  auto response = invocation::decode_response(*reply);
  REQUIRE(response.ok());
  return *response;
}

}  // namespace

TEST_SUITE("servers") {
  TEST_CASE("an actor on one runner answers a call made on another, byte for byte as locally") {
    const std::string name = "t" + nuid::next();
    auto actor = test::sign_forwarder({});
    Runner serving(name, {actor});
    Runner calling(name, {});
    REQUIRE(calling.lattice->wait_for_actor(actor.key, std::chrono::seconds(3)));
    const Bytes body{'h', 'i', 0, 0xff};
    auto remote = calling.host.call_actor(actor.key, "echo", body);
    REQUIRE_MESSAGE(remote.ok(), remote.error().message);
    auto local = serving.host.call_actor(actor.key, "echo", body);
    REQUIRE(local.ok());
    CHECK(*remote == *local);
    CHECK(serving.lattice->counters().served == 1);
  }

  TEST_CASE("an actor calls a provider another runner has bound to it, and another actor there") {
    const std::string name = "t" + nuid::next();
    auto callee = test::sign_forwarder({});
    auto caller = test::sign_forwarder({"wascc:keyvalue", callee.key});
    Runner with_caller(name, {caller});
    Runner with_store(name, {callee}, std::make_shared<keyvalue_memory::Provider>());
    REQUIRE(with_store.lattice->wait_for_actor(caller.key, std::chrono::seconds(3)));
    REQUIRE(with_store.host.bind(caller.key, "wascc:keyvalue", "default", {}).ok());
    const auto add = actor_codec::encode(*actor_codec::find_schema("AddRequest"), Json{{"key", "n"}, {"value", 5}});
    REQUIRE(add.ok());
    auto added = test::forward(with_caller.host, caller.key, "", "wascc:keyvalue", "Add", *add);
    REQUIRE_MESSAGE(added.ok(), added.error().message);
    auto reply = actor_codec::decode(*actor_codec::find_schema("AddResponse"), *added);
    REQUIRE(reply.ok());
    CHECK((*reply)["value"] == 5);
    auto echoed = test::forward(with_caller.host, caller.key, "", callee.key, "echo", as_bytes("ping"));
    REQUIRE_MESSAGE(echoed.ok(), echoed.error().message);
    CHECK(as_text(*echoed) == "ping");
  }

  TEST_CASE("with JetStream on, claims live in the lattice's bucket and outlive their runner") {
    const std::string name = "t" + nuid::next();
    auto actor = test::sign_forwarder({});
    {
      Runner serving(name, {actor});
      auto link = nats_link::Link::connect({{nats_url()}, "test", "", {}});
      REQUIRE(link.ok());
      auto bucket = (*link)->key_value("LATTICEDATA_" + name);
      REQUIRE_MESSAGE(bucket.ok(), bucket.error().message);
      auto token = (*bucket)->get("CLAIMS_" + actor.key);
      REQUIRE_MESSAGE(token.ok(), token.error().message);
      CHECK(*token == serving.host.claims_token_of(actor.key).value());
    }
    Runner later(name, {});  // no runner answers its ping: what it knows comes from the bucket
    REQUIRE(later.lattice->wait_for_actor(actor.key, std::chrono::seconds(3)));
    CHECK(later.lattice->claims_of(actor.key)->name == "forwarder");
  }

  TEST_CASE("with JetStream on, a binding is a link definition in the bucket until its runner leaves") {
    const std::string name = "t" + nuid::next();
    auto caller = test::sign_forwarder({"wascc:keyvalue"});
    Runner with_caller(name, {caller});
    const nats_link::Options link{{nats_url()}, "test", "", {}};
    auto survey = [&] {
      auto links = lattice_links::survey(link, name, std::chrono::milliseconds(200));
      REQUIRE_MESSAGE(links.ok(), links.error().message);
      return *links;
    };
    {
      Runner with_store(name, {}, std::make_shared<keyvalue_memory::Provider>());
      REQUIRE(with_store.lattice->wait_for_actor(caller.key, std::chrono::seconds(3)));
      REQUIRE(with_store.host.bind(caller.key, "wascc:keyvalue", "default", {}).ok());
      const lattice_links::PublishedLink expected{{caller.key, "wascc:keyvalue", "default", {}},
                                                  with_store.lattice->host_id()};
      std::vector<lattice_links::PublishedLink> seen;
      for (int i = 0; i < 30 && seen.empty(); ++i) {  // published with the next heartbeat
        seen = survey();
        if (seen.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      CHECK(seen == std::vector{expected});
    }
    CHECK(survey().empty());
  }

  TEST_CASE("a call nobody serves times out by its deadline, naming the subject") {
    const std::string name = "t" + nuid::next();
    Runner calling(name, {});
    const auto absent = nkeys::KeyPair::generate(nkeys::KeyType::Module).public_key_text();
    const auto started = std::chrono::steady_clock::now();
    auto reply =
        calling.lattice->call_actor({actor_authorization::Target::Kind::Actor, absent, ""}, absent, "echo", {});
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.error().message.rfind("wasmbus.rpc." + name + "." + absent + ": timed out after 1500 ms", 0) == 0);
    CHECK(took < std::chrono::milliseconds(2500));
  }

  TEST_CASE("forged invocations are refused, each with its own error, and never run") {
    const std::string name = "t" + nuid::next();
    auto actor = test::sign_forwarder({});
    Runner serving(name, {actor});
    const std::string target = invocation::actor_url(actor.key);
    const std::string origin = invocation::capability_url("wascc:http_server", "default");
    const uint64_t deadline = now_ms() + 2000;
    auto genuine = forged(cluster_key(), nuid::next(), origin, target, "echo", "x", deadline);
    // A provider may deliver only to an actor that claims its contract.
    auto first = send(name, actor.key, genuine);
    CHECK(first.error == "actor " + actor.key + " does not claim the capability of origin " + origin);
    CHECK(first.failure == "host refused");

    auto signed_actor = test::sign_forwarder({"wascc:http_server"});
    Runner http(name, {signed_actor});
    const std::string http_target = invocation::actor_url(signed_actor.key);
    auto good = forged(cluster_key(), nuid::next(), origin, http_target, "echo", "x", deadline);
    auto answered = send(name, signed_actor.key, good);
    CHECK(answered.error.empty());
    CHECK(as_text(answered.msg) == "x");

    SUBCASE("an unknown cluster issuer") {
      const auto stranger = nkeys::KeyPair::generate(nkeys::KeyType::Cluster);
      auto response =
          send(name, signed_actor.key, forged(stranger, nuid::next(), origin, http_target, "echo", "x", deadline));
      CHECK(response.error ==
            "invocation issuer " + stranger.public_key_text() + " is not a cluster issuer of this lattice");
    }
    SUBCASE("a tampered msg") {
      auto tampered = good;
      tampered.id = nuid::next();
      tampered.msg = Bytes{'y'};
      auto response = send(name, signed_actor.key, tampered);
      CHECK(response.error ==
            "invocation hash does not match: origin, target, operation, msg or id changed after signing");
    }
    SUBCASE("a changed target") {
      auto elsewhere = forged(cluster_key(), nuid::next(), origin, target, "echo", "x", deadline);
      auto response = send(name, signed_actor.key, elsewhere);
      CHECK(response.error == "invocation for " + target + " arrived on the subject of " + http_target);
    }
    SUBCASE("an expired invocation") {
      auto late = forged(cluster_key(), nuid::next(), origin, http_target, "echo", "x", now_ms() - 10);
      auto response = send(name, signed_actor.key, late);
      CHECK(response.error.rfind("invocation expired ", 0) == 0);
      CHECK(http.lattice->counters().expired == 1);
    }
    SUBCASE("a reused id with other content") {
      auto replay = forged(cluster_key(), good.id, origin, http_target, "echo", "other", deadline);
      auto response = send(name, signed_actor.key, replay);
      CHECK(response.error == "invocation id " + good.id + " was already used by another invocation (replay refused)");
    }
    SUBCASE("the same invocation again: answered from the ledger, not run again") {
      auto again = send(name, signed_actor.key, good);
      CHECK(again.error.empty());
      CHECK(as_text(again.msg) == "x");
      CHECK(http.lattice->counters().from_ledger == 1);
    }
    SUBCASE("an origin actor the lattice does not know") {
      const auto unknown = nkeys::KeyPair::generate(nkeys::KeyType::Module).public_key_text();
      auto response =
          send(name, signed_actor.key,
               forged(cluster_key(), nuid::next(), invocation::actor_url(unknown), http_target, "echo", "x", deadline));
      CHECK(response.error == "origin actor " + unknown + " is not known to this lattice");
    }
    CHECK(http.lattice->counters().served == 1);
  }
}
