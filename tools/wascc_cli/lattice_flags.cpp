#include "wascc_cli/lattice_flags.h"

#include "wascc/engine/limits.h"

namespace wascc::tools::wascc_cli {

void LatticeFlags::add_connection_to(CLI::App& command) {
  command.add_option("--lattice", servers,
                     "The lattice's NATS servers: nats://h1:4222[,nats://h2:4222...], a failover list\n"
                     "tried in order");
  command.add_option("--lattice-name", name, "The lattice's name in its subjects (default: default)");
  command.add_option("--nats-creds", creds_file, "A NATS credentials file (user JWT and seed)");
}

void LatticeFlags::add_to(CLI::App& command) {
  add_connection_to(command);
  command.add_option("--host-seed", host_seed, "This runner's identity, a server seed SN... (generated if absent)");
  command.add_option("--cluster-seed", cluster_seed,
                     "Signs this runner's invocations, a cluster seed SC... (generated if absent)");
  add_repeatable_option(command, "--cluster-issuer", cluster_issuers,
                        "Accept invocations signed by this cluster key C... (repeatable; the own key always)");
  command.add_option("--rpc-timeout", rpc_timeout, "Deadline of a call to another runner: 500ms, 2s (2s)");
  command
      .add_option("--retries", retries,
                  "Retries on another replica of a call that got no reply (2; 0 for actors that are not\n"
                  "idempotent: a retry can run a call twice)")
      ->check(CLI::Range(0, 100));
}

std::vector<std::string> LatticeFlags::server_list() const {
  std::vector<std::string> list;
  size_t start = 0;
  while (start <= servers.size()) {
    const size_t comma = servers.find(',', start);
    const std::string server = servers.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!server.empty()) list.push_back(server);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return list;
}

Result<lattice::Options> LatticeFlags::options(const std::optional<manifest::LatticeSettings>& manifest) const {
  const manifest::LatticeSettings given = manifest.value_or(manifest::LatticeSettings{});
  auto either = [](const std::string& flag, const std::string& from_manifest) {
    return flag.empty() ? from_manifest : flag;
  };
  lattice::Options options;
  options.servers = joins() ? server_list() : given.urls;
  if (options.servers.empty()) return input_error("--lattice: no NATS server given");
  options.name = either(either(name, given.name), "default");
  options.host_seed = either(host_seed, given.host_seed);
  options.cluster_seed = either(cluster_seed, given.cluster_seed);
  options.cluster_issuers = cluster_issuers.empty() ? given.cluster_issuers : cluster_issuers;
  options.creds_file = either(creds_file, given.nats_creds);
  if (!rpc_timeout.empty()) {
    auto timeout = limits::parse_timeout(rpc_timeout);
    if (!timeout) return input_error("--rpc-timeout: " + timeout.error().message);
    options.rpc_timeout = *timeout;
  } else if (given.rpc_timeout) {
    options.rpc_timeout = *given.rpc_timeout;
  }
  if (retries >= 0) {
    options.retries = retries;
  } else if (given.retries) {
    options.retries = *given.retries;
  }
  return options;
}

}  // namespace wascc::tools::wascc_cli
