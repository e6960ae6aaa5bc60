#include "wascc/runner.h"

#include <algorithm>
#include <system_error>

#include "wascc/bytes_io.h"

namespace wascc::runner {
namespace {

namespace fs = std::filesystem;

std::filesystem::file_time_type modified_time(const std::string& path) {
  std::error_code error;
  auto time = fs::last_write_time(path, error);
  return error ? fs::file_time_type{} : time;
}

}  // namespace

Result<Plan> plan_for_manifest(const manifest::Manifest& manifest, const std::string& manifest_path) {
  const fs::path directory = manifest_path == "-" ? fs::path(".") : fs::path(manifest_path).parent_path();
  const std::string source = manifest_path == "-" ? "<stdin>" : manifest_path;
  Plan plan;
  for (const auto& actor : manifest.actors) {
    const fs::path path(actor);
    std::error_code error;
    if (path.is_relative() && !fs::exists(path, error) && fs::exists(directory / path, error)) {
      plan.actor_files.push_back((directory / path).string());
    } else {
      plan.actor_files.push_back(actor);
    }
  }
  for (size_t i = 0; i < manifest.capabilities.size(); ++i) {
    const auto& capability = manifest.capabilities[i];
    auto id = provider_catalog::capability_of_path(capability.path);
    if (!id) return input_error(source + ": capabilities[" + std::to_string(i) + "]: " + id.error().message);
    plan.providers.push_back({*id, capability.binding});
  }
  for (size_t i = 0; i < manifest.bindings.size(); ++i) {
    const auto& binding = manifest.bindings[i];
    BindingEntry entry{binding.actor, binding.capability, binding.binding, binding.values,
                       source + ": bindings[" + std::to_string(i) + "]"};
    // A binding may name an actor by the path listed under actors: the same resolved file.
    const auto listed = std::find(manifest.actors.begin(), manifest.actors.end(), binding.actor);
    if (listed != manifest.actors.end()) entry.actor = plan.actor_files[static_cast<size_t>(listed - manifest.actors.begin())];
    plan.bindings.push_back(std::move(entry));
  }
  return plan;
}

Plan plan_for_actor(const std::string& actor_file, const std::vector<binding_spec::Binding>& bindings) {
  Plan plan;
  plan.actor_files.push_back(actor_file);
  for (const auto& binding : bindings) {
    const bool known = std::any_of(plan.providers.begin(), plan.providers.end(), [&](const ProviderEntry& entry) {
      return entry.capability_id == binding.capability_id && entry.binding == binding.name;
    });
    if (!known) plan.providers.push_back({binding.capability_id, binding.name});
    plan.bindings.push_back({actor_file, binding.capability_id, binding.name, binding.values,
                             "--bind " + binding.capability_id + (binding.name == "default" ? "" : "@" + binding.name)});
  }
  return plan;
}

Runner::Runner(actor_host::Options options, provider_catalog::Sinks sinks)
    : sinks_(std::move(sinks)), host_(std::make_unique<actor_host::Host>(std::move(options))) {}

Runner::~Runner() { stop(); }

Status Runner::start(const Plan& plan) {
  bool have_extras = false;
  for (const auto& entry : plan.providers) {
    auto provider = provider_catalog::make(entry.capability_id, sinks_);
    if (!provider) return provider.error();
    if (auto added = host_->add_provider(*provider, entry.binding); !added) return added;
    have_extras |= entry.capability_id == builtin_providers::Extras::kCapabilityId && entry.binding == "default";
  }
  if (!have_extras) {  // built into the host and bound to every actor that claims it, as upstream
    if (auto added = host_->add_provider(*provider_catalog::make(builtin_providers::Extras::kCapabilityId, sinks_)); !added) {
      return added;
    }
  }
  for (const auto& path : plan.actor_files) {
    auto wasm = InputFile::open(path);
    if (!wasm) return wasm.error();
    auto key = host_->add_actor(wasm->bytes(), path);
    if (!key) return key.error();
    auto claims = host_->claims_of(*key);
    actors_.push_back({path, *key, claims ? claims->name.value_or("") : "", modified_time(path)});
  }
  for (const auto& binding : plan.bindings) {
    auto key = actor_key(binding.actor);
    if (!key) return input_error(binding.where + ": " + key.error().message);
    if (auto bound = host_->bind(*key, binding.capability_id, binding.binding, binding.values); !bound) {
      return Error{bound.error().kind, binding.where + ": " + bound.error().message, std::nullopt};
    }
  }
  return ok_status();
}

Result<std::string> Runner::actor_key(const std::string& reference) const {
  for (const auto& actor : actors_) {
    if (actor.key == reference || actor.path == reference) return actor.key;
  }
  return input_error("no actor " + reference + " was loaded (give its public key or its path under actors)");
}

std::vector<std::string> Runner::reload_changed_actors() {
  std::vector<std::string> lines;
  for (auto& actor : actors_) {
    const auto modified = modified_time(actor.path);
    if (modified == actor.modified || modified == fs::file_time_type{}) continue;
    actor.modified = modified;
    auto wasm = read_file_or_stdin(actor.path);
    if (!wasm) {
      lines.push_back("reload of " + actor.path + " refused: " + wasm.error().message);
      continue;
    }
    if (auto replaced = host_->replace_actor(actor.key, *wasm, actor.path); !replaced) {
      lines.push_back("reload of " + actor.path + " refused, the running actor stays: " + replaced.error().message);
    } else {
      lines.push_back("reloaded " + actor.path + " (" + actor.key + ")");
    }
  }
  return lines;
}

void Runner::stop() { host_->shutdown(); }

}  // namespace wascc::runner
