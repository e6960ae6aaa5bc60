// Link definitions on the lattice (wasmCloud's LinkDefinition): each binding a runner made of
// an actor to a provider, so any runner or tool can see what is linked to what. With JetStream
// on they live in the bucket LATTICEDATA_{lattice} as LINKDEF_{id}, put when the binding is
// made and deleted when it goes; without it they travel with the runner's heartbeats.
// id = upper-hex SHA-256 of actor_id, contract_id and link_name: one entry per (actor,
// contract, link) lattice-wide, as in wasmCloud. provider_id stays empty (wascc's providers
// are built into the runner and have no keys); host_id names the runner that made the link.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/actors/actor_host.h"
#include "wascc/base/json.h"
#include "wascc/base/result.h"
#include "wascc/runner/nats_link.h"

namespace wascc::lattice_links {

struct PublishedLink {
  actor_host::LinkDefinition link;
  std::string host_id;
  bool operator==(const PublishedLink&) const = default;
};

inline constexpr std::string_view kKeyPrefix = "LINKDEF_";

std::string link_id(const actor_host::LinkDefinition& link);
std::string bucket_key(const actor_host::LinkDefinition& link);  // LINKDEF_{id}

Json to_json(const PublishedLink& published);
// Errors: "link definition: FIELD: ..." naming the field.
Result<PublishedLink> from_json(const Json& object);
std::string encode(const PublishedLink& published);
Result<PublishedLink> decode(std::string_view text);

// The lattice's bucket, LATTICEDATA_{lattice}; an error when the name cannot name one.
Result<std::string> bucket_name(const std::string& lattice);

// The link definitions of the lattice now, by id: the bucket's when the servers run JetStream,
// else those in every runner's answer to a ping (gathered for `wait`).
Result<std::vector<PublishedLink>> survey(const nats_link::Options& link, const std::string& lattice,
                                          std::chrono::milliseconds wait);

}  // namespace wascc::lattice_links
