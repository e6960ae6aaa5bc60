// Every capability provider the runner has built in, by contract id: wascc:http_server,
// wascc:keyvalue (in memory, or Redis for an actor bound with a URL), wascc:messaging (in
// process, or NATS for an actor bound with a URL), wascc:logging, wascc:extras. Also how a
// waSCC manifest's provider library names (libwascc_httpsrv.so ...) map to them: waSCC's
// native plugins are Rust trait objects no other host can load, so the runner serves their
// contracts itself.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "wascc/providers/builtin_providers.h"
#include "wascc/providers/http_server_provider.h"
#include "wascc/actors/capability_provider.h"

namespace wascc::provider_catalog {

struct Sinks {
  builtin_providers::Logging::Sink log;            // wascc:logging's lines
  std::function<void(const std::string&)> notice;  // where servers listen, delivery failures
  http_server::AccessLog access;                   // every HTTP request answered (none: not asked)
};

Result<std::shared_ptr<CapabilityProvider>> make(std::string_view capability_id, const Sinks& sinks);

// The contract ids `make` knows.
const std::vector<std::string>& capability_ids();

// A manifest's capability `path`: a contract id, or the file name of a waSCC provider library
// (libwascc_httpsrv.so, libwascc_redis.so, libredis_provider.so, libwascc_nats.so,
// libwascc_logging.so, ...), mapped to the contract it provided.
Result<std::string> capability_of_path(std::string_view path);

}  // namespace wascc::provider_catalog
