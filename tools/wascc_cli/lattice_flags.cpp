#include "wascc_cli/lattice_flags.h"

#include "wascc/engine/limits.h"

namespace wascc::tools::wascc_cli {

void LatticeFlags::add_connection_to(CLI::App& command) {
  command.add_option("--lattice", servers,
                     "Join the lattice through these NATS servers: nats://h1:4222[,nats://h2:4222...],\n"
                     "a failover list tried in order");
  command.add_option("--lattice-name", name, "The lattice's name in its subjects (default)");
  command.add_option("--nats-creds", creds_file, "A NATS credentials file (user JWT and seed)");
}

void LatticeFlags::add_to(CLI::App& command) {
  add_connection_to(command);
  command.add_option("--host-seed", host_seed, "This runner's identity, a server seed SN... (generated if absent)");
  command.add_option("--cluster-seed", cluster_seed,
                     "Signs this runner's invocations, a cluster seed SC... (generated if absent)");
  command.add_option("--cluster-issuer", cluster_issuers,
                     "Accept invocations signed by this cluster key C... (repeatable; the own key always)");
  command.add_option("--rpc-timeout", rpc_timeout, "Deadline of a call to another runner: 500ms, 2s (2s)");
  command.add_option("--retries", retries,
                     "Retries on another replica of a call that got no reply (2; 0 for actors that are not\n"
                     "idempotent: a retry can run a call twice)");
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

Result<lattice::Options> LatticeFlags::options() const {
  lattice::Options options;
  options.servers = server_list();
  if (options.servers.empty()) return input_error("--lattice: no NATS server given");
  options.name = name;
  options.host_seed = host_seed;
  options.cluster_seed = cluster_seed;
  options.cluster_issuers = cluster_issuers;
  auto timeout = limits::parse_timeout(rpc_timeout);
  if (!timeout) return input_error("--rpc-timeout: " + timeout.error().message);
  options.rpc_timeout = *timeout;
  if (retries < 0) return input_error("--retries: must be 0 or more");
  options.retries = retries;
  options.creds_file = creds_file;
  return options;
}

}  // namespace wascc::tools::wascc_cli
