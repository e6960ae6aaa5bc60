#include "wascc/runner/lattice.h"

#include <algorithm>
#include <cctype>

#include "wascc/actors/actor_authorization.h"
#include "wascc/base/unix_time.h"

namespace wascc::lattice {
namespace {

using actor_authorization::Target;
namespace invocation = lattice_invocation;
namespace registry = lattice_registry;

constexpr int64_t kStopTimeoutMs = 5000;
constexpr std::chrono::milliseconds kPingWait{250};
constexpr std::chrono::milliseconds kUndeliveredBackoff{20};

// The deadline of the invocation this thread is running: calls it makes inherit it.
thread_local uint64_t t_deadline_ms = 0;

uint64_t now_ms() {
  return static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

std::string origin_url(const Target& origin) {
  return origin.kind == Target::Kind::Actor ? invocation::actor_url(origin.id)
                                            : invocation::capability_url(origin.id, origin.binding);
}

wapc::FailureKind failure_kind(std::string_view name) {
  for (auto kind : {wapc::FailureKind::GuestError, wapc::FailureKind::Trap, wapc::FailureKind::HostRefused,
                    wapc::FailureKind::Limit, wapc::FailureKind::Exit, wapc::FailureKind::Unavailable}) {
    if (wapc::failure_kind_name(kind) == name) return kind;
  }
  return wapc::FailureKind::HostRefused;  // a receiver's refusal
}

Result<nkeys::KeyPair> key_or_new(const std::string& seed, nkeys::KeyType type, const char* flag) {
  if (seed.empty()) return nkeys::KeyPair::generate(type);
  auto key = nkeys::KeyPair::from_seed(seed);
  if (!key) return input_error(std::string(flag) + ": " + key.error().message);
  if (key->type() != type) {
    return input_error(std::string(flag) + ": expected a " + std::string(nkeys::type_name(type)) + " seed (S" +
                       nkeys::type_letter(type) + "...), got the seed of a key of type " +
                       std::string(nkeys::type_name(key->type())));
  }
  return key;
}

}  // namespace

struct Lattice::Served {
  std::string subject;
  std::string target_url;
  Target target;  // the actor, or the provider (contract, binding)
};

Lattice::Lattice(actor_host::Host& host, Options options, invocation::Signer signer)
    : host_(host),
      options_(std::move(options)),
      signer_(std::move(signer)),
      registry_(host.options().allowed_issuers) {}

Result<std::shared_ptr<Lattice>> Lattice::join(actor_host::Host& host, Options options) {
  if (auto named = registry::check_subject_name("lattice name", options.name); !named) return named.error();
  auto host_key = key_or_new(options.host_seed, nkeys::KeyType::Server, "--host-seed");
  if (!host_key) return host_key.error();
  auto cluster_key = key_or_new(options.cluster_seed, nkeys::KeyType::Cluster, "--cluster-seed");
  if (!cluster_key) return cluster_key.error();
  for (const auto& issuer : options.cluster_issuers) {
    auto key = nkeys::decode_public_key(issuer);
    if (!key || key->type != nkeys::KeyType::Cluster) {
      return input_error("--cluster-issuer " + issuer + ": not a cluster public key (C...)");
    }
  }
  options.cluster_issuers.push_back(cluster_key->public_key_text());
  std::shared_ptr<Lattice> lattice(
      new Lattice(host, options, invocation::Signer{*cluster_key, host_key->public_key_text()}));
  auto link =
      nats_link::Link::connect({options.servers, "wascc " + lattice->host_id(), options.creds_file, options.notice});
  if (!link) return link.error();
  lattice->link_ = std::move(link.value());
  Lattice* self = lattice.get();
  auto heard = [self](nats_link::Message message) {
    auto record = registry::decode_heartbeat(message.data);
    if (!record || record->host_id == self->host_id()) return;
    for (const auto& refusal : self->registry_.heard(*record)) self->note("lattice: " + refusal);
  };
  if (auto subscribed = lattice->link_->subscribe(registry::events_subject(options.name), "", heard); !subscribed) {
    return subscribed.error();
  }
  auto ping = [self](nats_link::Message message) {
    if (message.reply.empty()) return;
    const std::string beat = registry::encode_heartbeat(self->own_record(false));
    (void)self->link_->publish(message.reply, as_bytes(beat));
  };
  if (auto subscribed = lattice->link_->subscribe(registry::ping_subject(options.name), "", ping); !subscribed) {
    return subscribed.error();
  }
  if (auto& registry = host.options().metrics) {
    registry->describe("wascc_lattice_invocations_total", "counter",
                       "Invocations from other runners by outcome (served, refused, expired, from_ledger)");
    registry->describe("wascc_lattice_calls_total", "counter", "Calls to other runners by outcome");
    registry->describe("wascc_lattice_retries_total", "counter", "Attempts of calls to other runners after the first");
  }
  lattice->open_data_bucket();
  // What the lattice holds now: every runner answers a ping with its heartbeat.
  if (auto replies = lattice->link_->gather(registry::ping_subject(options.name), {}, kPingWait.count())) {
    for (const auto& reply : *replies) heard({"", "", reply});
  }
  lattice->heartbeat_ = std::thread([self] { self->beat(); });
  host.set_remote_routes(lattice);
  return lattice;
}

Lattice::~Lattice() { leave(); }

void Lattice::open_data_bucket() {
  auto bucket = lattice_links::bucket_name(options_.name);
  auto opened = bucket ? link_->key_value(*bucket) : Result<std::unique_ptr<nats_link::KeyValue>>(bucket.error());
  if (!opened) {
    note("lattice: claims and links travel with heartbeats only (no JetStream bucket: " + opened.error().message + ")");
    return;
  }
  data_bucket_ = std::move(opened.value());
  const std::string prefix = "CLAIMS_";
  auto watched = data_bucket_->watch([this, prefix](const std::string& key, const std::string& token) {
    if (key.rfind(prefix, 0) != 0) return;
    if (auto refused = registry_.heard_claims(key.substr(prefix.size()), token)) note("lattice: " + *refused);
  });
  if (!watched) {
    note("lattice: claims travel with heartbeats only (" + watched.error().message + ")");
    data_bucket_.reset();
  }
}

void Lattice::note(const std::string& text) {
  if (options_.notice) options_.notice(text);
}

Status Lattice::subscribe(std::shared_ptr<const Served> served) {
  // A hand-off to a pool of workers would cost a thread wake-up per call (a quarter of a
  // cross-runner call's time here): each member serves on its own delivery thread instead.
  auto handle = [this, served](nats_link::Message message) { serve(*served, message); };
  const std::string direct = served->subject + "." + host_id();
  for (size_t i = 0; i < std::max<size_t>(options_.concurrency, 1); ++i) {
    if (auto shared = link_->subscribe(served->subject, served->subject, handle); !shared) return shared;
    if (auto own = link_->subscribe(direct, direct, handle); !own) return own;
  }
  return ok_status();
}

Status Lattice::serve_host() {
  for (const auto& actor : host_.actor_keys()) {
    auto served =
        std::make_shared<Served>(Served{registry::actor_subject(options_.name, actor), invocation::actor_url(actor),
                                        Target{Target::Kind::Actor, actor, ""}});
    if (auto subscribed = subscribe(served); !subscribed) return subscribed;
  }
  for (const auto& [contract, binding] : host_.provider_keys()) {
    if (auto named = registry::check_subject_name("contract id", contract); !named) return named;
    if (auto named = registry::check_subject_name("binding name", binding); !named) return named;
    auto served = std::make_shared<Served>(Served{registry::provider_subject(options_.name, contract, binding),
                                                  invocation::capability_url(contract, binding),
                                                  Target{Target::Kind::Capability, contract, binding}});
    if (auto subscribed = subscribe(served); !subscribed) return subscribed;
  }
  if (data_bucket_) {
    for (const auto& actor : host_.actor_keys()) {
      auto token = host_.claims_token_of(actor);
      if (!token) continue;
      if (auto put = data_bucket_->put("CLAIMS_" + actor, *token); !put) note(put.error().message);
    }
  }
  publish_links();
  // Callers on other nodes of the NATS cluster see the subscriptions once the server has them.
  if (auto flushed = link_->flush(kStopTimeoutMs); !flushed) return flushed;
  const std::string beat = registry::encode_heartbeat(own_record(false));
  return link_->publish(registry::events_subject(options_.name), as_bytes(beat));
}

bool Lattice::wait_for_actor(const std::string& actor, std::chrono::milliseconds timeout) {
  return registry_.wait_for_actor(actor, timeout);
}

lattice_registry::HostRecord Lattice::own_record(bool stopping) {
  registry::HostRecord record;
  record.host_id = host_id();
  record.lattice = options_.name;
  record.stopping = stopping;
  record.uptime_s = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count());
  for (const auto& actor : host_.actor_keys()) {
    if (auto token = host_.claims_token_of(actor)) record.actors.push_back({actor, *token});
  }
  for (const auto& [contract, binding] : host_.provider_keys()) record.providers.push_back({contract, binding});
  if (!data_bucket_ && !stopping) {
    for (auto& link : host_.links()) record.links.push_back({std::move(link), host_id()});
  }
  return record;
}

void Lattice::publish_links() {
  if (!data_bucket_) return;
  std::lock_guard lock(links_mutex_);
  std::map<std::string, std::string> now;
  for (auto& link : host_.links()) {
    const std::string key = lattice_links::bucket_key(link);
    now[key] = lattice_links::encode({std::move(link), host_id()});
  }
  std::map<std::string, std::string> published;
  for (const auto& [key, value] : now) {
    auto before = published_links_.find(key);
    if (before == published_links_.end() || before->second != value) {
      if (auto put = data_bucket_->put(key, value); !put) {
        note("lattice: " + put.error().message);
        continue;  // the next heartbeat tries again
      }
    }
    published[key] = value;
  }
  for (const auto& [key, value] : published_links_) {
    if (!now.count(key)) remove_if_ours(key, value);
  }
  published_links_ = std::move(published);
}

void Lattice::remove_if_ours(const std::string& key, const std::string& value) {
  // Another runner may have linked the same (actor, contract, link) since: its entry stays.
  if (auto current = data_bucket_->get(key); current && *current == value) (void)data_bucket_->remove(key);
}

void Lattice::withdraw_links() {
  if (!data_bucket_) return;
  std::lock_guard lock(links_mutex_);
  for (const auto& [key, value] : published_links_) remove_if_ours(key, value);
  published_links_.clear();
}

void Lattice::beat() {
  std::unique_lock lock(state_mutex_);
  while (!leaving_) {
    heartbeat_wakeup_.wait_for(lock, options_.heartbeat_interval);
    if (leaving_) break;
    lock.unlock();
    const std::string beat = registry::encode_heartbeat(own_record(false));
    (void)link_->publish(registry::events_subject(options_.name), as_bytes(beat));
    publish_links();
    registry_.forget_silent(options_.heartbeat_interval * 5);
    lock.lock();
  }
}

void Lattice::serve(const Served& served, const nats_link::Message& message) {
  invocation::Response response;
  auto reply = [&] {
    if (!message.reply.empty()) (void)link_->publish(message.reply, invocation::encode_response(response));
  };
  auto refuse = [&](const std::string& why, const std::string& from, Outcome outcome = Outcome::Refused) {
    tally(outcome);
    response.error = why;
    response.failure = "refused";
    note("lattice: refused invocation " + response.invocation_id + " from " + from + ": " + why);
    reply();
  };
  auto decoded = invocation::decode(message.data);
  if (!decoded) return refuse(decoded.error().message, "?");
  const auto& call = *decoded;
  response.invocation_id = call.id;
  const uint64_t now = now_ms();
  if (auto verified = invocation::verify(call, {options_.cluster_issuers, served.target_url, now}); !verified) {
    return refuse(verified.error().message, call.host_id,
                  now >= call.deadline_ms ? Outcome::Expired : Outcome::Refused);
  }
  auto admission = ledger_.admit(call.id, call.encoded_claims, call.deadline_ms, now);
  if (admission.verdict == invocation_ledger::Verdict::Replay) {
    return refuse("invocation id " + call.id + " was already used by another invocation (replay refused)",
                  call.host_id);
  }
  if (admission.verdict == invocation_ledger::Verdict::Answer) {
    const auto left = std::chrono::milliseconds(call.deadline_ms > now ? call.deadline_ms - now : 0);
    if (admission.answer.wait_for(left) != std::future_status::ready) return;  // the caller has given up
    tally(Outcome::FromLedger);
    if (!message.reply.empty()) (void)link_->publish(message.reply, admission.answer.get());
    return;
  }
  auto outcome = run(served, call);
  if (outcome) {
    response.msg = std::move(outcome.value());
  } else {
    response.error = outcome.error().message;
    response.failure = std::string(wapc::failure_kind_name(outcome.error().kind));
  }
  Bytes encoded = invocation::encode_response(response);
  if (!message.reply.empty()) (void)link_->publish(message.reply, encoded);
  ledger_.complete(call.id, std::move(encoded));
}

Status Lattice::check_origin(const Served& served, const invocation::Invocation& call,
                             std::optional<claims::ModuleClaims>& origin_claims) {
  const std::string prefix = "wasmbus://";
  const std::string origin = call.origin.rfind(prefix, 0) == 0 ? call.origin.substr(prefix.size()) : "";
  const bool from_actor = origin.size() == 56 && origin[0] == 'M';
  if (from_actor) {
    origin_claims = claims_of(origin);
    if (!origin_claims) return invalid_error("origin actor " + origin + " is not known to this lattice");
    // An actor with a call alias may be called by anyone, by its alias (wasmCloud's rule).
    auto target_claims = host_.claims_of(served.target.id);
    const bool by_alias = served.target.kind == Target::Kind::Actor && target_claims && target_claims->call_alias;
    if (auto decision = actor_authorization::check_host_call(*origin_claims, served.target, call.operation);
        !decision.allowed && !by_alias) {
      return invalid_error(decision.denial);
    }
    return host_.authorize_call(origin, *origin_claims, served.target, call.operation);
  }
  if (served.target.kind != Target::Kind::Actor) {
    return invalid_error("origin " + call.origin + " is not an actor: only actors call providers");
  }
  // A runner's own call (wascc call, a test scenario): the cluster signature says it is a member.
  if (call.origin == invocation::capability_url("wascc:host", "default")) return ok_status();
  // A provider delivering to an actor: the actor must claim the provider's contract.
  auto target_claims = host_.claims_of(served.target.id);
  const std::string binding = call.origin.substr(call.origin.rfind('/') + 1);
  if (target_claims) {
    for (const auto& capability : target_claims->capabilities.value_or(std::vector<std::string>{})) {
      if (invocation::capability_url(capability, binding) == call.origin) return ok_status();
    }
  }
  return invalid_error("actor " + served.target.id + " does not claim the capability of origin " + call.origin);
}

Result<Bytes, wapc::CallFailure> Lattice::run(const Served& served, const invocation::Invocation& call) {
  std::optional<claims::ModuleClaims> origin_claims;
  if (auto allowed = check_origin(served, call, origin_claims); !allowed) {
    tally(Outcome::Refused);
    note("lattice: refused invocation " + call.id + " from " + call.host_id + ": " + allowed.error().message);
    return wapc::CallFailure{wapc::FailureKind::HostRefused, allowed.error().message, {}};
  }
  if (now_ms() >= call.deadline_ms) {  // the checks took the rest of its time
    tally(Outcome::Expired);
    return wapc::CallFailure{wapc::FailureKind::Limit, "invocation expired before it could start", {}};
  }
  tally(Outcome::Served);
  t_deadline_ms = call.deadline_ms;
  Result<Bytes, wapc::CallFailure> outcome = Bytes{};
  if (served.target.kind == Target::Kind::Actor) {
    outcome = host_.call_local_actor(served.target.id, call.operation, call.msg);
  } else {
    // check_origin let only an actor call a provider: its claims name it.
    auto reply =
        host_.call_bound_provider(origin_claims->subject, *origin_claims, served.target, call.operation, call.msg);
    if (reply) {
      outcome = std::move(reply.value());
    } else {
      outcome = wapc::CallFailure{wapc::FailureKind::GuestError, reply.error().message, {}};
    }
  }
  t_deadline_ms = 0;
  return outcome;
}

std::string Lattice::pick_replica(const std::vector<std::string>& replicas, const std::vector<std::string>& tried) {
  std::vector<std::string> candidates;
  {
    std::lock_guard lock(suspects_mutex_);
    const auto now = std::chrono::steady_clock::now();
    for (const auto& replica : replicas) {
      auto suspected = suspects_.find(replica);
      const bool is_suspect = suspected != suspects_.end() && suspected->second > now;
      if (!is_suspect && std::find(tried.begin(), tried.end(), replica) == tried.end()) candidates.push_back(replica);
    }
  }
  if (candidates.empty()) return "";
  static thread_local uint64_t turn = 0;
  return candidates[turn++ % candidates.size()];
}

void Lattice::suspect(const std::string& host_id) {
  std::lock_guard lock(suspects_mutex_);
  suspects_[host_id] = std::chrono::steady_clock::now() + options_.heartbeat_interval * 5;
}

Result<invocation::Response, wapc::CallFailure> Lattice::invoke(const std::string& subject,
                                                                const std::vector<std::string>& replicas,
                                                                std::string origin, std::string target,
                                                                std::string_view operation, ByteView payload) {
  const uint64_t started = now_ms();
  uint64_t deadline = started + static_cast<uint64_t>(options_.rpc_timeout.count());
  if (t_deadline_ms != 0) deadline = std::min(deadline, t_deadline_ms);
  const auto call = invocation::make(signer_, std::move(origin), std::move(target), std::string(operation),
                                     Bytes(payload.begin(), payload.end()), deadline);
  const Bytes wire = invocation::encode(call);
  int attempts_left = std::max(options_.retries, 0) + 1;
  std::string last = "no reply";
  std::vector<std::string> tried;
  bool timed_out = false;
  for (uint64_t now = now_ms(); now < deadline && attempts_left > 0; now = now_ms()) {
    const uint64_t slice = (deadline - now) / static_cast<uint64_t>(attempts_left);
    // After a timeout: one replica by its own subject, not the queue group's choice again.
    const std::string replica = timed_out ? pick_replica(replicas, tried) : "";
    if (!replica.empty()) tried.push_back(replica);
    auto reply = link_->request(replica.empty() ? subject : subject + "." + replica, wire,
                                static_cast<int64_t>(std::max<uint64_t>(slice, 1)));
    if (reply) {
      auto response = invocation::decode_response(*reply);
      count_call(response && response->error.empty() ? "ok" : "error", static_cast<int>(tried.size()));
      if (!response) return wapc::CallFailure{wapc::FailureKind::HostRefused, response.error().message, {}};
      return std::move(response.value());
    }
    last = reply.error().message;
    if (reply.error().kind == nats_link::RequestFailure::TimedOut) {
      --attempts_left;  // it may have run: a retry counts
      timed_out = true;
      if (!replica.empty()) suspect(replica);
    } else {
      // Delivered to no one (no replica, or a connection coming back): safe to send again.
      std::this_thread::sleep_for(
          std::min(kUndeliveredBackoff, std::chrono::milliseconds(deadline - std::min(deadline, now_ms()))));
    }
  }
  count_call("timed_out", static_cast<int>(tried.size()));
  return wapc::CallFailure{wapc::FailureKind::Limit,
                           subject + ": timed out after " + std::to_string(deadline - started) + " ms (" + last + ")",
                           limits::LimitKind::Deadline};
}

std::optional<claims::ModuleClaims> Lattice::claims_of(const std::string& actor) {
  if (auto local = host_.claims_of(actor)) return local;
  return registry_.claims_of(actor);
}

std::optional<std::string> Lattice::actor_with_alias(const std::string& alias) {
  return registry_.actor_with_alias(alias);
}

Result<Bytes, wapc::CallFailure> Lattice::call_actor(const Target& origin, const std::string& actor,
                                                     std::string_view operation, ByteView payload) {
  if (auto named = registry::check_subject_name("actor", actor); !named) {
    return wapc::CallFailure{wapc::FailureKind::HostRefused, named.error().message, {}};
  }
  auto response = invoke(registry::actor_subject(options_.name, actor), registry_.hosts_serving(actor),
                         origin_url(origin), invocation::actor_url(actor), operation, payload);
  if (!response) return response.error();
  if (!response->error.empty()) return wapc::CallFailure{failure_kind(response->failure), response->error, {}};
  return std::move(response->msg);
}

Result<Bytes> Lattice::call_provider(const std::string& actor, const Target& provider, std::string_view operation,
                                     ByteView payload) {
  for (const auto& [what, name] : {std::pair{"contract id", provider.id}, {"binding name", provider.binding}}) {
    if (auto named = registry::check_subject_name(what, name); !named) return named.error();
  }
  auto response = invoke(registry::provider_subject(options_.name, provider.id, provider.binding),
                         registry_.hosts_providing(provider.id, provider.binding), invocation::actor_url(actor),
                         invocation::capability_url(provider.id, provider.binding), operation, payload);
  if (!response) return invalid_error(response.error().message);
  if (!response->error.empty()) return invalid_error(response->error);
  return std::move(response->msg);
}

void Lattice::tally(Outcome outcome) {
  static constexpr const char* kNames[] = {"served", "refused", "expired", "from_ledger"};
  switch (outcome) {
    case Outcome::Served: ++served_; break;
    case Outcome::Refused: ++refused_; break;
    case Outcome::Expired: ++refused_, ++expired_; break;
    case Outcome::FromLedger: ++from_ledger_; break;
  }
  if (auto& registry = host_.options().metrics) {
    registry->add("wascc_lattice_invocations_total", {{"outcome", kNames[static_cast<int>(outcome)]}});
  }
}

void Lattice::count_call(const char* outcome, int retries) {
  if (auto& registry = host_.options().metrics) {
    registry->add("wascc_lattice_calls_total", {{"outcome", outcome}});
    if (retries > 0) registry->add("wascc_lattice_retries_total", {}, retries);
  }
}

Counters Lattice::counters() const { return Counters{served_, refused_, expired_, from_ledger_}; }

void Lattice::leave() {
  {
    std::lock_guard lock(state_mutex_);
    if (leaving_ || !link_) return;
    leaving_ = true;
  }
  host_.set_remote_routes(nullptr);
  // New invocations go to the other replicas; those taken already are finished and answered
  // (a drain returns once every delivery thread has run what it had).
  link_->stop_subscriptions(kStopTimeoutMs);
  heartbeat_wakeup_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
  withdraw_links();
  data_bucket_.reset();
  const std::string goodbye = registry::encode_heartbeat(own_record(true));
  (void)link_->publish(registry::events_subject(options_.name), as_bytes(goodbye));
  link_->close();
}

}  // namespace wascc::lattice
