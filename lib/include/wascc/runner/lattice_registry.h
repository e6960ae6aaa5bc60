// What a runner knows of the other runners of its lattice: each one's heartbeat (published
// every second on wasmbus.evt.{lattice}, and in answer to a ping on wasmbus.ctl.{lattice}.ping)
// names its host id, its actors with their signed claims tokens, and its providers; with
// JetStream on, the tokens are also kept in the bucket LATTICEDATA_{lattice} (CLAIMS_{actor}), else
// the heartbeat also carries the runner's link definitions (lattice_links.h). A token is
// believed only once it verifies (its issuer's signature, its subject, its dates, the host's
// issuer allow-list), so a forged heartbeat cannot give an actor capabilities.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/runner/lattice_links.h"
#include "wascc/runner/nats_link.h"
#include "wascc/wascap/claims.h"

namespace wascc::lattice_registry {

struct ActorEntry {
  std::string key;
  std::string claims_token;
};

struct ProviderEntry {
  std::string contract;
  std::string binding;
};

struct HostRecord {
  std::string host_id;
  std::string lattice;
  uint64_t uptime_s = 0;
  bool stopping = false;  // its last word: it is leaving
  std::vector<ActorEntry> actors;
  std::vector<ProviderEntry> providers;
  std::vector<lattice_links::PublishedLink> links;  // only when the lattice has no JetStream bucket
};

std::string encode_heartbeat(const HostRecord& record);
// Errors: "heartbeat: ..." naming the field.
Result<HostRecord> decode_heartbeat(ByteView wire);

// The claims in `token` if it is a valid actor token for `key` (see the header comment).
Result<claims::ModuleClaims> verify_actor_token(const std::string& key, const std::string& token,
                                                const std::vector<std::string>& allowed_issuers, uint64_t now);

class Registry {
 public:
  explicit Registry(std::vector<std::string> allowed_issuers) : allowed_issuers_(std::move(allowed_issuers)) {}

  // Takes a heartbeat; returns the notes for tokens it refused ("actor M...: expired").
  std::vector<std::string> heard(const HostRecord& record);
  // Takes one actor's claims token (from the lattice's JetStream bucket); the refusal, if any
  // (the first time only: a refused token heard again is ignored without a word).
  std::optional<std::string> heard_claims(const std::string& actor, const std::string& token);
  // Hosts not heard from within `silence` leave the list; their actors' claims are kept.
  void forget_silent(std::chrono::milliseconds silence);

  std::optional<claims::ModuleClaims> claims_of(const std::string& actor);
  std::optional<std::string> actor_with_alias(const std::string& alias);
  // The hosts heard of that serve an actor, or a provider (contract, binding).
  std::vector<std::string> hosts_serving(const std::string& actor);
  std::vector<std::string> hosts_providing(const std::string& contract, const std::string& binding);
  std::vector<HostRecord> hosts();
  // Waits until an actor's claims are known, or `timeout` passes.
  bool wait_for_actor(const std::string& actor, std::chrono::milliseconds timeout);

 private:
  std::vector<std::string> allowed_issuers_;
  std::mutex mutex_;
  std::condition_variable learned_;
  std::map<std::string, std::pair<HostRecord, std::chrono::steady_clock::time_point>> hosts_;
  std::map<std::string, std::pair<std::string, claims::ModuleClaims>> claims_;  // key -> (token, claims)
  std::set<std::pair<std::string, std::string>> refused_;  // (actor, token) that did not verify; bounded
};

// Every runner's heartbeat as it answers a ping within `wait` (`wascc lattice hosts`).
Result<std::vector<HostRecord>> survey(const nats_link::Options& link, const std::string& lattice,
                                       std::chrono::milliseconds wait);

// Subjects: actor wasmbus.rpc.{lattice}.{actor}, provider wasmbus.rpc.{lattice}.{contract}.{binding}
// (each served in a queue group), one replica's own: either with ".{host_id}" appended (for
// retries), events wasmbus.evt.{lattice}, ping wasmbus.ctl.{lattice}.ping. A name with '.', '*',
// '>' or white space would change the subject's meaning and is refused.
Status check_subject_name(std::string_view what, std::string_view name);
std::string actor_subject(const std::string& lattice, const std::string& actor);
std::string provider_subject(const std::string& lattice, const std::string& contract, const std::string& binding);
std::string events_subject(const std::string& lattice);
std::string ping_subject(const std::string& lattice);

}  // namespace wascc::lattice_registry
