#include "wascc/runner/lattice_links.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "wascc/base/sha256.h"
#include "wascc/runner/lattice_registry.h"

namespace wascc::lattice_links {
namespace {

constexpr size_t kMaxDepth = 4;  // {values: {key: text}} needs 2

Error malformed(const std::string& field, const std::string& what) {
  return input_error("link definition: " + field + ": " + what);
}

Result<std::string> text(const Json& object, const char* field, bool required) {
  auto found = object.find(field);
  if (found == object.end() && !required) return std::string();
  if (found == object.end() || !found->is_string()) return malformed(field, "expected a string");
  return found->get<std::string>();
}

}  // namespace

std::string link_id(const actor_host::LinkDefinition& link) {
  return sha256::hash_hex_upper({as_bytes(link.actor_id), as_bytes(link.contract_id), as_bytes(link.link_name)});
}

std::string bucket_key(const actor_host::LinkDefinition& link) { return std::string(kKeyPrefix) + link_id(link); }

Json to_json(const PublishedLink& published) {
  const auto& link = published.link;
  Json values = Json::object();
  for (const auto& [key, value] : link.values) values[key] = value;
  return Json{{"id", link_id(link)},         {"actor_id", link.actor_id},
              {"provider_id", ""},           {"contract_id", link.contract_id},
              {"link_name", link.link_name}, {"values", values},
              {"host_id", published.host_id}};
}

Result<PublishedLink> from_json(const Json& object) {
  if (!object.is_object()) return input_error("link definition: not a JSON object");
  PublishedLink out;
  for (auto [field, into] : {std::pair{"actor_id", &out.link.actor_id},
                             {"contract_id", &out.link.contract_id},
                             {"link_name", &out.link.link_name}}) {
    auto value = text(object, field, true);
    if (!value) return value.error();
    *into = std::move(value.value());
  }
  auto host = text(object, "host_id", false);
  if (!host) return host.error();
  out.host_id = std::move(host.value());
  if (auto values = object.find("values"); values != object.end() && !values->is_null()) {
    if (!values->is_object()) return malformed("values", "expected an object");
    for (const auto& [key, value] : values->items()) {
      if (!value.is_string()) return malformed("values", key + ": expected a string");
      out.link.values[key] = value.get<std::string>();
    }
  }
  return out;
}

std::string encode(const PublishedLink& published) { return json::dump(to_json(published)); }

Result<PublishedLink> decode(std::string_view text) {
  auto parsed = json::parse(text, {kMaxDepth, true});
  if (!parsed) return input_error("link definition: " + parsed.error().message);
  return from_json(*parsed);
}

Result<std::string> bucket_name(const std::string& lattice) {
  const bool nameable = !lattice.empty() && std::all_of(lattice.begin(), lattice.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (!nameable) return input_error("the lattice name \"" + lattice + "\" is not a bucket name ([A-Za-z0-9_-])");
  return "LATTICEDATA_" + lattice;
}

Result<std::vector<PublishedLink>> survey(const nats_link::Options& options, const std::string& lattice,
                                          std::chrono::milliseconds wait) {
  std::map<std::string, PublishedLink> by_id;
  auto bucket = bucket_name(lattice);
  auto link = nats_link::Link::connect(options);
  if (!link) return link.error();
  // Looking creates nothing: a lattice without the bucket answers from its heartbeats.
  auto opened =
      bucket ? (*link)->key_value(*bucket, false) : Result<std::unique_ptr<nats_link::KeyValue>>(bucket.error());
  if (opened) {
    auto entries = (*opened)->entries(std::string(kKeyPrefix));
    if (!entries) return entries.error();
    for (const auto& [key, value] : *entries) {
      if (auto published = decode(value)) by_id[link_id(published->link)] = std::move(published.value());
    }
  } else {
    auto hosts = lattice_registry::survey(options, lattice, wait);
    if (!hosts) return hosts.error();
    for (const auto& host : *hosts) {
      for (const auto& published : host.links) by_id[link_id(published.link)] = published;
    }
  }
  std::vector<PublishedLink> out;
  for (auto& [id, published] : by_id) out.push_back(std::move(published));
  return out;
}

}  // namespace wascc::lattice_links
