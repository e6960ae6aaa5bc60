#include "wascc/runner/lattice_registry.h"

#include <algorithm>

#include "wascc/base/json.h"
#include "wascc/base/unix_time.h"
#include "wascc/wascap/jwt.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::lattice_registry {
namespace {

constexpr size_t kMaxHeartbeatDepth = 8;  // {links: [{values: {k: v}}]} needs 4
constexpr size_t kMaxRefusedTokens = 1024;

Result<std::string> required_text(const Json& object, const char* name) {
  auto found = object.find(name);
  if (found == object.end() || !found->is_string()) {
    return input_error(std::string("heartbeat: ") + name + ": expected a string");
  }
  return found->get<std::string>();
}

// The list at `list` of objects with two texts each, {first: ..., second: ...}.
Result<std::vector<std::pair<std::string, std::string>>> text_pairs(const Json& object, const char* list,
                                                                    const char* first, const char* second) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : object.value(list, Json::array())) {
    if (!entry.is_object()) return input_error(std::string("heartbeat: ") + list + ": expected objects");
    auto one = required_text(entry, first);
    if (!one) return one.error();
    auto other = required_text(entry, second);
    if (!other) return other.error();
    out.emplace_back(std::move(one.value()), std::move(other.value()));
  }
  return out;
}

}  // namespace

std::string encode_heartbeat(const HostRecord& record) {
  Json out;
  out["host_id"] = record.host_id;
  out["lattice"] = record.lattice;
  out["uptime_s"] = record.uptime_s;
  out["stopping"] = record.stopping;
  out["actors"] = Json::array();
  for (const auto& actor : record.actors) out["actors"].push_back({{"key", actor.key}, {"claims", actor.claims_token}});
  out["providers"] = Json::array();
  for (const auto& provider : record.providers) {
    out["providers"].push_back({{"contract", provider.contract}, {"binding", provider.binding}});
  }
  if (!record.links.empty()) {
    out["links"] = Json::array();
    for (const auto& published : record.links) out["links"].push_back(lattice_links::to_json(published));
  }
  return json::dump(out);
}

Result<HostRecord> decode_heartbeat(ByteView wire) {
  auto parsed = json::parse(as_text(wire), {kMaxHeartbeatDepth, false});
  if (!parsed) return input_error("heartbeat: " + parsed.error().message);
  if (!parsed->is_object()) return input_error("heartbeat: not a JSON object");
  HostRecord record;
  auto host_id = required_text(*parsed, "host_id");
  if (!host_id) return host_id.error();
  record.host_id = *host_id;
  record.lattice = json::text_field(*parsed, "lattice");
  if (auto uptime = parsed->find("uptime_s"); uptime != parsed->end() && uptime->is_number_unsigned()) {
    record.uptime_s = uptime->get<uint64_t>();
  }
  if (auto stopping = parsed->find("stopping"); stopping != parsed->end() && stopping->is_boolean()) {
    record.stopping = stopping->get<bool>();
  }
  auto actors = text_pairs(*parsed, "actors", "key", "claims");
  if (!actors) return actors.error();
  for (auto& [key, token] : *actors) record.actors.push_back({std::move(key), std::move(token)});
  auto providers = text_pairs(*parsed, "providers", "contract", "binding");
  if (!providers) return providers.error();
  for (auto& [contract, binding] : *providers) record.providers.push_back({std::move(contract), std::move(binding)});
  if (auto links = parsed->find("links"); links != parsed->end()) {
    if (!links->is_array()) return input_error("heartbeat: links: expected a list");
    for (const auto& entry : *links) {
      auto published = lattice_links::from_json(entry);
      if (!published) return input_error("heartbeat: " + published.error().message);
      record.links.push_back(std::move(published.value()));
    }
  }
  return record;
}

Result<claims::ModuleClaims> verify_actor_token(const std::string& key, const std::string& token,
                                                const std::vector<std::string>& allowed_issuers, uint64_t now) {
  auto decoded = jwt::decode(token);
  if (!decoded) return invalid_error("actor " + key + ": claims token: " + decoded.error().message);
  auto claims = claims::from_json(decoded->payload);
  if (!claims) return invalid_error("actor " + key + ": " + claims.error().message);
  auto issuer = nkeys::decode_public_key(claims->issuer);
  if (!issuer || issuer->type != nkeys::KeyType::Account || !jwt::verify_signature(*decoded, *issuer)) {
    return invalid_error("actor " + key + ": claims signature does not verify with issuer " + claims->issuer);
  }
  if (claims->subject != key) return invalid_error("actor " + key + ": claims are for " + claims->subject);
  if (claims->expires && *claims->expires <= now) return invalid_error("actor " + key + ": claims expired");
  if (claims->not_before && *claims->not_before > now) return invalid_error("actor " + key + ": claims not yet valid");
  if (!allowed_issuers.empty() &&
      std::find(allowed_issuers.begin(), allowed_issuers.end(), claims->issuer) == allowed_issuers.end()) {
    return invalid_error("actor " + key + ": issuer " + claims->issuer + " is not allowed on this host");
  }
  return claims;
}

std::optional<std::string> Registry::heard_claims(const std::string& actor, const std::string& token) {
  {
    std::lock_guard lock(mutex_);
    if (auto known = claims_.find(actor); known != claims_.end() && known->second.first == token) {
      return std::nullopt;  // the same token as before: verified then
    }
  }
  {
    std::lock_guard lock(mutex_);  // refused before: said once, not with every heartbeat
    if (refused_.count({actor, token})) return std::nullopt;
  }
  auto claims = verify_actor_token(actor, token, allowed_issuers_, unix_time::now());
  if (!claims) {
    std::lock_guard lock(mutex_);
    if (refused_.size() >= kMaxRefusedTokens) refused_.clear();
    refused_.insert({actor, token});
    return claims.error().message;
  }
  std::lock_guard lock(mutex_);
  claims_[actor] = {token, std::move(claims.value())};
  learned_.notify_all();
  return std::nullopt;
}

std::vector<std::string> Registry::heard(const HostRecord& record) {
  std::vector<std::string> refusals;
  for (const auto& actor : record.actors) {
    if (auto refused = heard_claims(actor.key, actor.claims_token)) {
      refusals.push_back("host " + record.host_id + ": " + *refused);
    }
  }
  std::lock_guard lock(mutex_);
  if (record.stopping) {
    hosts_.erase(record.host_id);
  } else {
    hosts_[record.host_id] = {record, std::chrono::steady_clock::now()};
  }
  learned_.notify_all();
  return refusals;
}

void Registry::forget_silent(std::chrono::milliseconds silence) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  for (auto host = hosts_.begin(); host != hosts_.end();) {
    host = now - host->second.second > silence ? hosts_.erase(host) : std::next(host);
  }
}

std::optional<claims::ModuleClaims> Registry::claims_of(const std::string& actor) {
  std::lock_guard lock(mutex_);
  auto found = claims_.find(actor);
  if (found == claims_.end()) return std::nullopt;
  return found->second.second;
}

std::optional<std::string> Registry::actor_with_alias(const std::string& alias) {
  std::lock_guard lock(mutex_);
  for (const auto& [key, entry] : claims_) {
    if (entry.second.call_alias == alias) return key;
  }
  return std::nullopt;
}

std::vector<std::string> Registry::hosts_serving(const std::string& actor) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, entry] : hosts_) {
    for (const auto& served : entry.first.actors) {
      if (served.key == actor) out.push_back(id);
    }
  }
  return out;
}

std::vector<std::string> Registry::hosts_providing(const std::string& contract, const std::string& binding) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [id, entry] : hosts_) {
    for (const auto& provider : entry.first.providers) {
      if (provider.contract == contract && provider.binding == binding) out.push_back(id);
    }
  }
  return out;
}

std::vector<HostRecord> Registry::hosts() {
  std::lock_guard lock(mutex_);
  std::vector<HostRecord> out;
  for (const auto& [id, entry] : hosts_) out.push_back(entry.first);
  return out;
}

bool Registry::wait_for_actor(const std::string& actor, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return learned_.wait_for(lock, timeout, [&] { return claims_.count(actor) != 0; });
}

Result<std::vector<HostRecord>> survey(const nats_link::Options& options, const std::string& lattice,
                                       std::chrono::milliseconds wait) {
  if (auto named = check_subject_name("lattice name", lattice); !named) return named.error();
  auto link = nats_link::Link::connect(options);
  if (!link) return link.error();
  auto replies = (*link)->gather(ping_subject(lattice), {}, wait.count());
  if (!replies) return replies.error();
  std::map<std::string, HostRecord> hosts;  // by id: sorted, and once each
  for (const auto& reply : *replies) {
    if (auto record = decode_heartbeat(reply); record && !record->stopping) hosts[record->host_id] = *record;
  }
  std::vector<HostRecord> out;
  for (auto& [id, record] : hosts) out.push_back(std::move(record));
  return out;
}

Status check_subject_name(std::string_view what, std::string_view name) {
  if (name.empty()) return input_error(std::string(what) + " is empty");
  for (char c : name) {
    if (c == '.' || c == '*' || c == '>' || static_cast<unsigned char>(c) <= ' ') {
      return input_error(std::string(what) + " \"" + std::string(name) +
                         "\" cannot name a NATS subject: it contains '.', '*', '>' or white space");
    }
  }
  return ok_status();
}

std::string actor_subject(const std::string& lattice, const std::string& actor) {
  return "wasmbus.rpc." + lattice + "." + actor;
}
std::string provider_subject(const std::string& lattice, const std::string& contract, const std::string& binding) {
  return "wasmbus.rpc." + lattice + "." + contract + "." + binding;
}
std::string events_subject(const std::string& lattice) { return "wasmbus.evt." + lattice; }
std::string ping_subject(const std::string& lattice) { return "wasmbus.ctl." + lattice + ".ping"; }

}  // namespace wascc::lattice_registry
