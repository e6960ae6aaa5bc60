// Runners joined over NATS (the lattice): an actor or provider of any runner can be invoked
// from any other, and replicas of an actor share the load. Each runner subscribes, in one
// queue group per entity, to wasmbus.rpc.{lattice}.{actor} for its actors and
// wasmbus.rpc.{lattice}.{contract}.{binding} for its providers; calls its host cannot answer
// go out as signed invocations (lattice_invocation.h) with a deadline. The first attempt goes
// to the queue group; a retry goes to one replica by its own subject, one not tried yet and not
// suspected (a replica that let a retry time out is passed over for a while), so a stalled
// replica costs a call one slice of its deadline, not all of it.
//
// A receiver checks, in order: signature, cluster issuer, hash, target, expiry, replay (its
// ledger answers a retry of a finished invocation without running it again), the origin's
// claims as the lattice knows them (never as the message says), then the host's policy. It
// never starts a call after its deadline. With the host's metrics registry: wascc_lattice_
// invocations_total{outcome}, wascc_lattice_calls_total{outcome}, wascc_lattice_retries_total.
// The host's bindings are published as link definitions (lattice_links.h). Retries can run a call
// twice when the first replica finished it but its reply was lost: `retries = 0` is for actors that are not idempotent.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wascc/actors/actor_host.h"
#include "wascc/runner/invocation_ledger.h"
#include "wascc/runner/lattice_invocation.h"
#include "wascc/runner/lattice_links.h"
#include "wascc/runner/lattice_registry.h"
#include "wascc/runner/nats_link.h"

namespace wascc::lattice {

struct Options {
  std::vector<std::string> servers;  // a failover list, tried in order
  std::string name = "default";
  std::string host_seed;                     // SN...: this runner's identity; generated when empty
  std::string cluster_seed;                  // SC...: signs invocations; generated when empty
  std::vector<std::string> cluster_issuers;  // C... keys accepted; this runner's own always is
  std::chrono::milliseconds rpc_timeout{2000};
  int retries = 2;
  std::string creds_file;
  std::chrono::milliseconds heartbeat_interval{1000};
  // Invocations of one entity served at once: each is a member of the entity's queue group
  // with a delivery thread of its own, running the call there (no hand-off to a pool).
  size_t concurrency = 8;
  std::function<void(const std::string&)> notice;  // refusals, reconnects
};

struct Counters {
  uint64_t served = 0;       // invocations run here
  uint64_t refused = 0;      // failed a check (expired ones included)
  uint64_t expired = 0;      // arrived after their deadline: never started
  uint64_t from_ledger = 0;  // retries answered with an earlier run's reply
};

class Lattice : public actor_host::RemoteRoutes {
 public:
  // Connects, learns the lattice (a ping), and attaches itself to `host` as its remote routes;
  // `host` must outlive the lattice (leave() or the destructor detaches it).
  static Result<std::shared_ptr<Lattice>> join(actor_host::Host& host, Options options);
  ~Lattice() override;

  // Serves every actor and provider the host has now, and announces them.
  Status serve_host();
  // Waits until an actor of another runner is known (a binding to it), or the timeout passes.
  bool wait_for_actor(const std::string& actor, std::chrono::milliseconds timeout);
  // Stops taking invocations (the other replicas get them), finishes those in flight, says
  // goodbye and closes. The host is detached. Idempotent.
  void leave();

  const std::string& host_id() const { return signer_.host_id; }
  Counters counters() const;

  std::optional<claims::ModuleClaims> claims_of(const std::string& actor) override;
  std::optional<std::string> actor_with_alias(const std::string& alias) override;
  Result<Bytes, wapc::CallFailure> call_actor(const actor_authorization::Target& origin, const std::string& actor,
                                              std::string_view operation, ByteView payload) override;
  Result<Bytes> call_provider(const std::string& actor, const actor_authorization::Target& provider,
                              std::string_view operation, ByteView payload) override;

 private:
  struct Served;  // what one subscription serves
  Lattice(actor_host::Host& host, Options options, lattice_invocation::Signer signer);
  Status subscribe(std::shared_ptr<const Served> served);
  void serve(const Served& served, const nats_link::Message& message);
  Result<Bytes, wapc::CallFailure> run(const Served& served, const lattice_invocation::Invocation& invocation);
  Status check_origin(const Served& served, const lattice_invocation::Invocation& invocation,
                      std::optional<claims::ModuleClaims>& origin_claims);
  Result<lattice_invocation::Response, wapc::CallFailure> invoke(const std::string& subject,
                                                                 const std::vector<std::string>& replicas,
                                                                 std::string origin, std::string target,
                                                                 std::string_view operation, ByteView payload);
  std::string pick_replica(const std::vector<std::string>& replicas, const std::vector<std::string>& tried);
  void suspect(const std::string& host_id);
  lattice_registry::HostRecord own_record(bool stopping);
  void beat();  // the heartbeat thread
  void open_data_bucket();
  void publish_links();   // the host's bindings into the bucket: new and changed put, gone deleted
  void withdraw_links();  // this runner's entries out of the bucket (it leaves)
  void remove_if_ours(const std::string& key, const std::string& value);
  void note(const std::string& text);
  enum class Outcome { Served, Refused, Expired, FromLedger };
  void tally(Outcome outcome);  // counters and, when the host has a registry, metrics
  void count_call(const char* outcome, int retries);

  actor_host::Host& host_;
  Options options_;
  lattice_invocation::Signer signer_;
  std::unique_ptr<nats_link::Link> link_;
  std::unique_ptr<nats_link::KeyValue> data_bucket_;  // LATTICEDATA_{name}, when JetStream is on
  lattice_registry::Registry registry_;
  invocation_ledger::Ledger ledger_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();

  std::mutex state_mutex_;
  bool leaving_ = false;
  std::thread heartbeat_;
  std::condition_variable heartbeat_wakeup_;

  std::mutex links_mutex_;
  std::map<std::string, std::string> published_links_;  // bucket key -> the value this runner put

  std::mutex suspects_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> suspects_;  // host id -> until

  std::atomic<uint64_t> served_{0}, refused_{0}, expired_{0}, from_ledger_{0};
};

}  // namespace wascc::lattice
