// The waSCC host manifest (wascc-host 0.14 `--manifest`): YAML when the file name ends in
// .yaml/.yml or has no extension, JSON otherwise. Keys: labels (optional map), actors (file
// paths), capabilities ({path, binding_name?}), bindings ({actor, capability, binding?,
// values?}), and (wascc extensions) policy, revocations, lattice, and actors given as {path,
// max_instances, timeout, fuel, max_memory_pages}. A key it does not know is an error naming where. With expansion on,
// ${VAR} and
// ${VAR:default} are replaced from the environment first; $VAR and an undefined ${VAR} without default stay as written,
// as upstream.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wascc/actors/capability_provider.h"

namespace wascc::manifest {

struct Capability {
  std::string path;  // a contract id or a waSCC provider library name (provider_catalog.h)
  std::string binding = "default";
};

struct Binding {
  std::string actor;  // public key, or (an extension) a path listed under actors
  std::string capability;
  std::string binding = "default";
  BindingValues values;
};

struct PolicyReference {  // wascc's extension: `policy: PATH` or {path, data, entrypoint}
  std::string path, data, entrypoint;
};

// An actors entry given as a map (a wascc extension): {path, max_instances, timeout, fuel,
// max_memory_pages}; what is absent is the host's.
struct ActorSettings {
  size_t max_instances = 0;
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<uint64_t> fuel;
  std::optional<uint32_t> max_memory_pages;
};

// wascc's extension: `lattice: {urls, name, host_seed, cluster_seed, cluster_issuers,
// rpc_timeout, retries, nats_creds}`, the same as `wascc run`'s flags (which win).
struct LatticeSettings {
  std::vector<std::string> urls;
  std::string name, host_seed, cluster_seed, nats_creds;  // "": not given
  std::vector<std::string> cluster_issuers;
  std::optional<std::chrono::milliseconds> rpc_timeout;
  std::optional<int> retries;
};

struct Manifest {
  std::map<std::string, std::string> labels;
  std::optional<PolicyReference> policy;
  std::string revocations;  // wascc's extension: a revocation list file (revocation_list.h)
  std::optional<LatticeSettings> lattice;
  std::vector<std::string> actors;
  std::map<std::string, ActorSettings> actor_settings;  // by actor path, where the entry is a map
  std::vector<Capability> capabilities;
  std::vector<Binding> bindings;
};

using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// `unset`, when given, hears the name of each ${VAR} left as written (undefined, no default).
std::string expand_variables(std::string_view text, const Environment& environment,
                             std::vector<std::string>* unset = nullptr);

enum class Format { Yaml, Json };
Format format_for(std::string_view file_name);

// `source` names the text in errors ("manifest.yaml:4:3: bindings[0]: missing key actor").
Result<Manifest> parse(std::string_view text, Format format, const std::string& source);

// Reads (- for stdin, then YAML), expands if asked, parses.
Result<Manifest> load(const std::string& path, bool expand_env, const Environment& environment);

}  // namespace wascc::manifest
