// What `wascc run` and `wascc call` do, as a library: a plan (actor files, providers, bindings)
// from a waSCC manifest or from one actor and its --bind specs, started on an actor host with
// the built-in providers; live reload for --watch of changed actor files, revocation list and
// policy; orderly stop.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "wascc/actors/actor_host.h"
#include "wascc/policy/policy_authorizer.h"
#include "wascc/runner/binding_spec.h"
#include "wascc/runner/lattice.h"
#include "wascc/runner/manifest.h"
#include "wascc/runner/oci_registry.h"
#include "wascc/providers/provider_catalog.h"

namespace wascc::runner {

struct ProviderEntry {
  std::string capability_id;  // of a built-in provider; learnt at start for a source
  std::string binding = "default";
  std::string source;     // "" (built in), a plugin path, or "exec:CMD" (a process provider)
  std::string fallback;   // a plugin path that is really a waSCC provider: this built-in instead
  bool implicit = false;  // only if no other provider serves (capability, binding)
  std::string directory;  // where an exec: command runs ("" = here): its file's directory
};

// `--provider` specs: PATH.so[@BINDING] or 'exec:CMD[@BINDING]'.
ProviderEntry provider_spec(const std::string& text);

struct BindingEntry {
  std::string actor;  // public key or a path from Plan::actor_files
  std::string capability_id;
  std::string binding = "default";
  BindingValues values;
  std::string where;  // for errors: "manifest.yaml: bindings[2]" or "--bind 'wascc:keyvalue'"
};

struct Plan {
  std::optional<manifest::PolicyReference> policy;      // paths resolved against the manifest
  std::string revocations;                              // a revocation list file, resolved likewise
  std::optional<manifest::LatticeSettings> lattice;     // the manifest's; nats_creds resolved likewise
  std::vector<std::string> actor_files;                 // paths, or oci://REGISTRY/REPOSITORY[:TAG] (pulled at start)
  oci_registry::Options registry;                       // for oci:// actors
  std::vector<manifest::ActorSettings> actor_settings;  // per actor file (missing: the host's)
  std::vector<ProviderEntry> providers;
  std::vector<BindingEntry> bindings;
};

// Relative actor paths that do not exist from the working directory are taken from the
// manifest's directory. Capability paths map to built-in providers (provider_catalog.h).
Result<Plan> plan_for_manifest(const manifest::Manifest& manifest, const std::string& manifest_path);

// One actor; each binding's (capability, binding name) gets its provider.
Plan plan_for_actor(const std::string& actor_file, const std::vector<binding_spec::Binding>& bindings,
                    const std::vector<std::string>& provider_specs = {});

struct LoadedActor {
  std::string path;
  std::string key;
  std::string name;
  std::filesystem::file_time_type modified{};
};

class Runner {
 public:
  Runner(actor_host::Options options, provider_catalog::Sinks sinks,
         std::chrono::milliseconds provider_timeout = std::chrono::seconds(10));
  ~Runner();

  // Providers (and wascc:extras), then actors, then bindings; the first failure is returned,
  // naming what failed and where.
  Status start(const Plan& plan);

  // Joins a lattice (call before start): bindings may then name actors of other runners by
  // key, calls this host cannot answer go to the lattice, and once started this runner serves
  // its actors and providers to the other runners. start waits up to `wait_for_actors` for each
  // such actor to be heard of; one that is not is bound when it joins (a notice says so, then
  // another when it is bound), so runners may start in any order.
  Status join_lattice(lattice::Options options, std::chrono::milliseconds wait_for_actors = std::chrono::seconds(2));
  std::shared_ptr<lattice::Lattice> lattice() const { return lattice_; }

  // Revocations: `fixed` (--revoke) plus the list in `path` (when not empty), checked at every
  // load from now on. Call before start(); with --watch the file is read again when it changes.
  Status use_revocations(const std::string& path, std::vector<std::string> fixed);

  // The policy that authorizes this host (already attached to its options), for --watch.
  void watch_policy(std::shared_ptr<policy_authorizer::PolicyAuthorizer> policy);

  // For --watch: each actor file modified since it was loaded is loaded again (live update), a
  // changed revocation list is read again (running actors it names are removed), and a changed
  // policy file is loaded again (its cached decisions forgotten). One note per reload, refusal
  // or removal; on refusal the running actor, the old list or the old policy stays.
  struct ReloadNote {
    bool refused = false;
    std::string text;
  };
  std::vector<ReloadNote> reload_changed();

  // Leaves the lattice (invocations in flight finish; new ones go to other replicas), then
  // unbinds every actor and stops every provider (servers closed, connections dropped).
  void stop();

  actor_host::Host& host() { return *host_; }
  const std::vector<LoadedActor>& actors() const { return actors_; }

  // A loaded actor's key from its key or its path.
  Result<std::string> actor_key(const std::string& reference) const;

 private:
  Result<std::shared_ptr<CapabilityProvider>> make_provider(const ProviderEntry& entry);
  actor_host::ActorOptions actor_options(const manifest::ActorSettings& settings) const;

  provider_catalog::Sinks sinks_;
  std::chrono::milliseconds provider_timeout_;
  std::unique_ptr<actor_host::Host> host_;
  std::vector<LoadedActor> actors_;
  std::string revocations_path_;
  std::vector<std::string> fixed_revocations_;
  std::filesystem::file_time_type revocations_modified_{};
  std::shared_ptr<policy_authorizer::PolicyAuthorizer> policy_;
  std::shared_ptr<lattice::Lattice> lattice_;
  std::chrono::milliseconds wait_for_actors_{2'000};
  Status bind_planned(const BindingEntry& binding);
  // Bindings to actors of other runners not heard of yet; a thread binds each when it joins.
  std::mutex pending_mutex_;
  std::condition_variable binder_wakeup_;
  std::vector<std::pair<std::string, BindingEntry>> pending_bindings_;  // (actor key, binding)
  bool binder_stopping_ = false;
  std::thread binder_;
  void bind_when_heard();  // the binder thread
  std::filesystem::file_time_type policy_modified_{};
  void reload_revocations(std::vector<ReloadNote>& notes);
  void reload_actors(std::vector<ReloadNote>& notes);
  void reload_policy(std::vector<ReloadNote>& notes);
};

}  // namespace wascc::runner
