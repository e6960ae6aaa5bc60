#include "wascc/providers/provider_catalog.h"

#include "wascc/providers/http_client_provider.h"
#include "wascc/providers/http_server_provider.h"
#include "wascc/providers/keyvalue_memory.h"
#include "wascc/providers/keyvalue_redis.h"
#include "wascc/providers/messaging_bus.h"
#include "wascc/providers/messaging_nats.h"
#include "wascc/providers/provider_selection.h"

namespace wascc::provider_catalog {
namespace {

std::string list_of_ids() {
  std::string out;
  for (const auto& id : capability_ids()) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

const std::vector<std::string>& capability_ids() {
  static const std::vector<std::string> ids = {"wascc:http_server", "wascc:http_client", "wascc:keyvalue",
                                               "wascc:messaging",   "wascc:logging",     "wascc:extras"};
  return ids;
}

Result<std::shared_ptr<CapabilityProvider>> make(std::string_view capability_id, const Sinks& sinks) {
  using Provider = std::shared_ptr<CapabilityProvider>;
  if (capability_id == http_server::kCapabilityId)
    return Provider(std::make_shared<http_server::Provider>(sinks.notice, sinks.access));
  if (capability_id == http_client::kCapabilityId) return Provider(std::make_shared<http_client::Provider>());
  if (capability_id == keyvalue_contract::kCapabilityId) {
    return Provider(std::make_shared<EmbeddedOrServer>(std::make_shared<keyvalue_memory::Provider>(),
                                                       std::make_shared<keyvalue_redis::Provider>()));
  }
  if (capability_id == messaging_contract::kCapabilityId) {
    return Provider(std::make_shared<EmbeddedOrServer>(std::make_shared<messaging_bus::Provider>(sinks.notice),
                                                       std::make_shared<messaging_nats::Provider>(sinks.notice)));
  }
  if (capability_id == builtin_providers::Logging::kCapabilityId)
    return Provider(std::make_shared<builtin_providers::Logging>(sinks.log));
  if (capability_id == builtin_providers::Extras::kCapabilityId)
    return Provider(std::make_shared<builtin_providers::Extras>());
  return input_error("no provider of " + std::string(capability_id) + " is built in (built in: " + list_of_ids() + ")");
}

Result<std::string> capability_of_path(std::string_view path) {
  for (const auto& id : capability_ids()) {
    if (path == id) return id;
  }
  const auto slash = path.find_last_of("/\\");
  const std::string_view file = slash == std::string_view::npos ? path : path.substr(slash + 1);
  struct Known {
    std::string_view fragment;
    std::string_view capability_id;
  };
  // The names of waSCC's provider libraries and crates (wascc-httpsrv, wascc-redis,
  // redis-provider, wascc-nats, nats-provider, wascc-logging, logging-provider).
  constexpr Known kKnown[] = {{"httpsrv", "wascc:http_server"},     {"http_server", "wascc:http_server"},
                              {"http_client", "wascc:http_client"}, {"httpclient", "wascc:http_client"},
                              {"redis", "wascc:keyvalue"},          {"keyvalue", "wascc:keyvalue"},
                              {"nats", "wascc:messaging"},          {"messaging", "wascc:messaging"},
                              {"logging", "wascc:logging"},         {"extras", "wascc:extras"}};
  for (const auto& known : kKnown) {
    if (file.find(known.fragment) != std::string_view::npos) return std::string(known.capability_id);
  }
  return input_error("provider \"" + std::string(path) +
                     "\" is not built in, and waSCC's native provider plugins (Rust trait objects) cannot be "
                     "loaded by another host; built in: " +
                     list_of_ids());
}

}  // namespace wascc::provider_catalog
