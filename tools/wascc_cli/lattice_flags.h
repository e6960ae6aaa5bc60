// The flags that join `wascc run` to a lattice (runner/lattice.h), and that `wascc lattice`
// uses to look at one.
#pragma once

#include <string>
#include <vector>

#include "common/tool_support.h"
#include "wascc/runner/lattice.h"

namespace wascc::tools::wascc_cli {

struct LatticeFlags {
  std::string servers;  // nats://h1:4222[,nats://h2:4222...]
  std::string name = "default";
  std::string host_seed, cluster_seed;
  std::vector<std::string> cluster_issuers;
  std::string rpc_timeout = "2s";
  int retries = 2;
  std::string creds_file;

  void add_connection_to(CLI::App& command);  // --lattice, --lattice-name, --nats-creds
  void add_to(CLI::App& command);             // those and the runner's own
  bool joins() const { return !servers.empty(); }
  std::vector<std::string> server_list() const;
  Result<lattice::Options> options() const;
};

}  // namespace wascc::tools::wascc_cli
