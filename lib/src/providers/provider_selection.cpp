#include "wascc/providers/provider_selection.h"

#include <algorithm>

namespace wascc {

EmbeddedOrServer::EmbeddedOrServer(std::shared_ptr<CapabilityProvider> embedded,
                                   std::shared_ptr<CapabilityProvider> server)
    : embedded_(std::move(embedded)), server_(std::move(server)) {}

Status EmbeddedOrServer::bind_actor(const std::string& actor, const BindingValues& values) {
  auto provider = values.count("URL") ? server_ : embedded_;
  if (auto bound = provider->bind_actor(actor, values); !bound) return bound;
  std::lock_guard lock(mutex_);
  chosen_[actor] = std::move(provider);
  return ok_status();
}

std::optional<std::vector<std::string_view>> EmbeddedOrServer::binding_keys() const {
  auto embedded = embedded_->binding_keys();
  auto server = server_->binding_keys();
  if (!embedded || !server) return std::nullopt;
  for (auto key : *server) {
    if (std::find(embedded->begin(), embedded->end(), key) == embedded->end()) embedded->push_back(key);
  }
  return embedded;
}

std::shared_ptr<CapabilityProvider> EmbeddedOrServer::provider_of(const std::string& actor) {
  std::lock_guard lock(mutex_);
  auto found = chosen_.find(actor);
  return found == chosen_.end() ? nullptr : found->second;
}

void EmbeddedOrServer::remove_actor(const std::string& actor) {
  auto provider = provider_of(actor);
  if (!provider) return;
  provider->remove_actor(actor);
  std::lock_guard lock(mutex_);
  chosen_.erase(actor);
}

Result<Bytes> EmbeddedOrServer::handle_call(const std::string& actor, std::string_view operation, ByteView payload) {
  auto provider = provider_of(actor);
  if (!provider) return input_error(std::string(capability_id()) + ": actor " + actor + " is not bound");
  return provider->handle_call(actor, operation, payload);
}

void EmbeddedOrServer::set_dispatcher(ActorDispatcher dispatcher) {
  embedded_->set_dispatcher(dispatcher);
  server_->set_dispatcher(std::move(dispatcher));
}

void EmbeddedOrServer::stop() {
  embedded_->stop();
  server_->stop();
}

}  // namespace wascc
