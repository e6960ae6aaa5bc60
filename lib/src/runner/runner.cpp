#include "wascc/runner/runner.h"

#include <algorithm>
#include <optional>
#include <system_error>

#include "wascc/base/bytes_io.h"
#include "wascc/providers/plugin_provider.h"
#include "wascc/providers/process_provider.h"
#include "wascc/wascap/nkeys.h"
#include "wascc/wascap/revocation_list.h"

namespace wascc::runner {
namespace {

// The built-in providers that call into actors on their own (requests, deliveries).
bool delivers_to_actors(const std::string& capability_id) {
  return capability_id == "wascc:http_server" || capability_id == "wascc:messaging";
}

namespace fs = std::filesystem;

std::filesystem::file_time_type modified_time(const std::string& path) {
  std::error_code error;
  auto time = fs::last_write_time(path, error);
  return error ? fs::file_time_type{} : time;
}

// An actor file, mapped (not copied), or an oci:// reference pulled; its claims are verified at
// load, as any actor's.
struct ActorModule {
  std::optional<InputFile> file;
  Bytes pulled;

  ByteView bytes() const { return file ? file->bytes() : ByteView(pulled); }

  static Result<ActorModule> open(const std::string& path, const oci_registry::Options& registry) {
    ActorModule module;
    if (path.rfind("oci://", 0) == 0) {
      auto reference = oci_registry::parse_reference(path);
      if (!reference) return reference.error();
      auto pulled = oci_registry::pull(*reference, registry);
      if (!pulled) return pulled.error();
      module.pulled = std::move(pulled.value());
      return module;
    }
    auto file = InputFile::open(path, {.magic = kWasmMagic});
    if (!file) return file.error();
    module.file.emplace(std::move(file.value()));
    return module;
  }
};

}  // namespace

Result<Plan> plan_for_manifest(const manifest::Manifest& manifest, const std::string& manifest_path) {
  const fs::path directory = manifest_path == "-" ? fs::path(".") : fs::path(manifest_path).parent_path();
  const std::string source = manifest_path == "-" ? "<stdin>" : manifest_path;
  Plan plan;
  // Files the manifest names: as given when they exist from here, else from its directory.
  auto resolve = [&](const std::string& file) {
    std::error_code error;
    return file.empty() || fs::path(file).is_absolute() || fs::exists(file, error) ? file : (directory / file).string();
  };
  if (manifest.policy) {
    plan.policy = manifest::PolicyReference{resolve(manifest.policy->path), resolve(manifest.policy->data),
                                            manifest.policy->entrypoint};
  }
  plan.revocations = resolve(manifest.revocations);
  if (manifest.lattice) {
    plan.lattice = manifest.lattice;
    plan.lattice->nats_creds = resolve(manifest.lattice->nats_creds);
  }
  for (const auto& actor : manifest.actors) {
    const fs::path path(actor);
    std::error_code error;
    if (path.is_relative() && !fs::exists(path, error) && fs::exists(directory / path, error)) {
      plan.actor_files.push_back((directory / path).string());
    } else {
      plan.actor_files.push_back(actor);
    }
    auto settings = manifest.actor_settings.find(actor);
    plan.actor_settings.push_back(settings == manifest.actor_settings.end() ? manifest::ActorSettings{}
                                                                            : settings->second);
  }
  for (size_t i = 0; i < manifest.capabilities.size(); ++i) {
    const auto& capability = manifest.capabilities[i];
    const fs::path path(capability.path);
    std::error_code error;
    const bool is_file = fs::is_regular_file(path, error) || fs::is_regular_file(directory / path, error);
    auto id = provider_catalog::capability_of_path(capability.path);
    if (capability.path.rfind("exec:", 0) == 0) {
      plan.providers.push_back({"", capability.binding, capability.path, "", false, directory.string()});
    } else if (is_file) {  // a plugin; a waSCC provider library falls back to the built-in
      const std::string file = fs::is_regular_file(path, error) ? capability.path : (directory / path).string();
      plan.providers.push_back({"", capability.binding, file, id ? *id : "", false, ""});
    } else if (id) {
      plan.providers.push_back({*id, capability.binding, "", "", false, ""});
    } else {
      return input_error(source + ": capabilities[" + std::to_string(i) + "]: " + id.error().message);
    }
  }
  for (size_t i = 0; i < manifest.bindings.size(); ++i) {
    const auto& binding = manifest.bindings[i];
    BindingEntry entry{binding.actor, binding.capability, binding.binding, binding.values,
                       source + ": bindings[" + std::to_string(i) + "]"};
    // A binding may name an actor by the path listed under actors: the same resolved file.
    const auto listed = std::find(manifest.actors.begin(), manifest.actors.end(), binding.actor);
    if (listed != manifest.actors.end())
      entry.actor = plan.actor_files[static_cast<size_t>(listed - manifest.actors.begin())];
    plan.bindings.push_back(std::move(entry));
  }
  return plan;
}

ProviderEntry provider_spec(const std::string& text) {
  ProviderEntry entry;
  entry.source = text;
  const auto at = text.rfind('@');
  if (at != std::string::npos && at + 1 < text.size() &&
      text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", at + 1) ==
          std::string::npos) {
    entry.source = text.substr(0, at);
    entry.binding = text.substr(at + 1);
  }
  return entry;
}

Plan plan_for_actor(const std::string& actor_file, const std::vector<binding_spec::Binding>& bindings,
                    const std::vector<std::string>& provider_specs) {
  Plan plan;
  plan.actor_files.push_back(actor_file);
  for (const auto& spec : provider_specs) plan.providers.push_back(provider_spec(spec));
  for (const auto& binding : bindings) {
    const bool known = std::any_of(plan.providers.begin(), plan.providers.end(), [&](const ProviderEntry& entry) {
      return entry.capability_id == binding.capability_id && entry.binding == binding.name;
    });
    // Built in, unless a --provider serves the same (capability, binding).
    if (!known) plan.providers.push_back({binding.capability_id, binding.name, "", "", true, ""});
    plan.bindings.push_back(
        {actor_file, binding.capability_id, binding.name, binding.values,
         "--bind " + binding.capability_id + (binding.name == "default" ? "" : "@" + binding.name)});
  }
  return plan;
}

Runner::Runner(actor_host::Options options, provider_catalog::Sinks sinks, std::chrono::milliseconds provider_timeout)
    : sinks_(std::move(sinks)),
      provider_timeout_(provider_timeout),
      host_(std::make_unique<actor_host::Host>(std::move(options))) {}

Result<std::shared_ptr<CapabilityProvider>> Runner::make_provider(const ProviderEntry& entry) {
  if (entry.source.empty()) return provider_catalog::make(entry.capability_id, sinks_);
  if (entry.source.rfind("exec:", 0) == 0) {
    return process_provider::start(entry.source.substr(5),
                                   {provider_timeout_, 16u << 20, sinks_.notice, entry.directory});
  }
  auto plugin = plugin_provider::load(entry.source, sinks_.notice);
  if (!plugin && !entry.fallback.empty()) return provider_catalog::make(entry.fallback, sinks_);
  return plugin;
}

Runner::~Runner() { stop(); }

actor_host::ActorOptions Runner::actor_options(const manifest::ActorSettings& settings) const {
  actor_host::ActorOptions options;
  options.max_instances = settings.max_instances;
  if (settings.timeout || settings.fuel || settings.max_memory_pages) {
    limits::Limits limits = host_->options().limits;
    if (settings.timeout) limits.timeout = *settings.timeout;
    if (settings.fuel) limits.fuel = *settings.fuel;
    if (settings.max_memory_pages) limits.max_memory_pages = *settings.max_memory_pages;
    options.limits = limits;
  }
  return options;
}

Status Runner::start(const Plan& plan) {
  for (const bool implicit : {false, true}) {
    for (const auto& entry : plan.providers) {
      if (entry.implicit != implicit) continue;
      if (implicit && host_->provider(entry.capability_id, entry.binding)) continue;
      auto provider = make_provider(entry);
      if (!provider) return provider.error();
      if (auto added = host_->add_provider(*provider, entry.binding); !added) return added;
    }
  }
  if (!host_->provider(std::string(builtin_providers::Extras::kCapabilityId))) {
    // Built into the host and bound to every actor that claims it, as upstream.
    if (auto added = host_->add_provider(*provider_catalog::make(builtin_providers::Extras::kCapabilityId, sinks_));
        !added) {
      return added;
    }
  }
  for (size_t i = 0; i < plan.actor_files.size(); ++i) {
    const std::string& path = plan.actor_files[i];
    auto wasm = ActorModule::open(path, plan.registry);
    if (!wasm) return wasm.error();
    auto key = host_->add_actor(
        wasm->bytes(), path,
        actor_options(i < plan.actor_settings.size() ? plan.actor_settings[i] : manifest::ActorSettings{}));
    if (!key) return key.error();
    auto claims = host_->claims_of(*key);
    actors_.push_back({path, *key, claims ? claims->name.value_or("") : "", modified_time(path)});
  }
  // Providers that deliver requests to actors (an HTTP server, message subscriptions) are
  // bound last: a request that arrives in the first milliseconds must find every other
  // binding of every actor in place, not answer 500 "no subscribers".
  std::vector<const BindingEntry*> ordered;
  for (const auto& binding : plan.bindings) {
    if (!delivers_to_actors(binding.capability_id)) ordered.push_back(&binding);
  }
  for (const auto& binding : plan.bindings) {
    if (delivers_to_actors(binding.capability_id)) ordered.push_back(&binding);
  }
  for (const BindingEntry* planned : ordered) {
    if (auto bound = bind_planned(*planned); !bound) return bound;
  }
  return lattice_ ? lattice_->serve_host() : ok_status();
}

Status Runner::bind_planned(const BindingEntry& binding) {
  auto key = actor_key(binding.actor);
  if (!key) return input_error(binding.where + ": " + key.error().message);
  if (lattice_ && !host_->claims_of(*key) && !lattice_->wait_for_actor(*key, wait_for_actors_)) {
    if (sinks_.notice) {
      sinks_.notice(binding.where + ": " + binding.capability_id + " waits for actor " + *key +
                    " to join the lattice; it is bound then");
    }
    std::lock_guard lock(pending_mutex_);
    pending_bindings_.emplace_back(*key, binding);
    if (!binder_.joinable()) binder_ = std::thread([this] { bind_when_heard(); });
    return ok_status();
  }
  if (auto bound = host_->bind(*key, binding.capability_id, binding.binding, binding.values); !bound) {
    return Error{bound.error().kind, binding.where + ": " + bound.error().message, std::nullopt};
  }
  return ok_status();
}

void Runner::bind_when_heard() {
  constexpr std::chrono::milliseconds kLook{250};
  std::unique_lock lock(pending_mutex_);
  while (!binder_stopping_ && !pending_bindings_.empty()) {
    binder_wakeup_.wait_for(lock, kLook);
    for (auto pending = pending_bindings_.begin(); !binder_stopping_ && pending != pending_bindings_.end();) {
      if (!lattice_->claims_of(pending->first)) {
        ++pending;
        continue;
      }
      const auto& binding = pending->second;
      auto bound = host_->bind(pending->first, binding.capability_id, binding.binding, binding.values);
      if (sinks_.notice) {
        sinks_.notice(binding.where + ": " +
                      (bound
                           ? binding.capability_id + " bound to actor " + pending->first + ", which joined the lattice"
                           : bound.error().message));
      }
      pending = pending_bindings_.erase(pending);
    }
  }
}

Status Runner::join_lattice(lattice::Options options, std::chrono::milliseconds wait_for_actors) {
  auto joined = lattice::Lattice::join(*host_, std::move(options));
  if (!joined) return joined.error();
  lattice_ = std::move(joined.value());
  wait_for_actors_ = wait_for_actors;
  return ok_status();
}

Result<std::string> Runner::actor_key(const std::string& reference) const {
  for (const auto& actor : actors_) {
    if (actor.key == reference || actor.path == reference) return actor.key;
  }
  // An actor of another runner, named by its key.
  if (lattice_ && reference.size() == nkeys::kPublicKeyTextLength && reference[0] == 'M') return reference;
  return input_error("no actor " + reference + " was loaded (give its public key or its path under actors)");
}

Status Runner::use_revocations(const std::string& path, std::vector<std::string> fixed) {
  fixed_revocations_ = std::move(fixed);
  revocations_path_ = path;
  std::vector<std::string> revoked = fixed_revocations_;
  if (!path.empty()) {
    revocations_modified_ = modified_time(path);
    auto listed = revocation_list::read(path);
    if (!listed) return listed.error();
    revoked.insert(revoked.end(), listed->begin(), listed->end());
  }
  host_->set_revoked(std::move(revoked));
  return ok_status();
}

void Runner::reload_revocations(std::vector<ReloadNote>& notes) {
  if (revocations_path_.empty()) return;
  const auto modified = modified_time(revocations_path_);
  if (modified == revocations_modified_ || modified == fs::file_time_type{}) return;
  revocations_modified_ = modified;
  auto listed = revocation_list::read(revocations_path_);
  if (!listed) {
    notes.push_back({true, "reload of revocations refused, the old list stays: " + listed.error().message});
    return;
  }
  std::vector<std::string> revoked = fixed_revocations_;
  revoked.insert(revoked.end(), listed->begin(), listed->end());
  notes.push_back(
      {false, "reloaded revocations " + revocations_path_ + " (" + std::to_string(listed->size()) + " entries)"});
  for (const auto& key : host_->set_revoked(std::move(revoked))) {
    notes.push_back({false, "removed revoked actor " + key});
    actors_.erase(
        std::remove_if(actors_.begin(), actors_.end(), [&](const LoadedActor& actor) { return actor.key == key; }),
        actors_.end());
  }
}

void Runner::reload_actors(std::vector<ReloadNote>& notes) {
  for (auto& actor : actors_) {
    const auto modified = modified_time(actor.path);
    if (modified == actor.modified || modified == fs::file_time_type{}) continue;
    actor.modified = modified;
    auto wasm = read_file_or_stdin(actor.path, {.magic = kWasmMagic});
    if (!wasm) {
      notes.push_back({true, "reload of " + actor.path + " refused: " + wasm.error().message});
      continue;
    }
    if (auto replaced = host_->replace_actor(actor.key, *wasm, actor.path); !replaced) {
      notes.push_back(
          {true, "reload of " + actor.path + " refused, the running actor stays: " + replaced.error().message});
    } else {
      notes.push_back({false, "reloaded " + actor.path + " (" + actor.key + ")"});
    }
  }
}

void Runner::watch_policy(std::shared_ptr<policy_authorizer::PolicyAuthorizer> policy) {
  policy_ = std::move(policy);
  policy_modified_ = policy_ ? modified_time(policy_->path()) : fs::file_time_type{};
}

void Runner::reload_policy(std::vector<ReloadNote>& notes) {
  if (!policy_) return;
  const auto modified = modified_time(policy_->path());
  if (modified == policy_modified_ || modified == fs::file_time_type{}) return;
  policy_modified_ = modified;
  if (auto reloaded = policy_->reload(); !reloaded) {
    notes.push_back({true, "reload of policy refused, the old one stays: " + reloaded.error().message});
  } else {
    notes.push_back({false, "reloaded policy " + policy_->path()});
  }
}

std::vector<Runner::ReloadNote> Runner::reload_changed() {
  std::vector<ReloadNote> notes;
  reload_revocations(notes);
  reload_actors(notes);
  reload_policy(notes);
  return notes;
}

void Runner::stop() {
  {
    std::lock_guard lock(pending_mutex_);
    binder_stopping_ = true;
  }
  binder_wakeup_.notify_all();
  if (binder_.joinable()) binder_.join();
  if (lattice_) lattice_->leave();
  host_->shutdown();
}

}  // namespace wascc::runner
