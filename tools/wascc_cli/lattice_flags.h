// The flags that join `wascc run` to a lattice (runner/lattice.h), and that `wascc lattice`
// uses to look at one.
#pragma once

#include <string>
#include <vector>

#include "common/tool_support.h"
#include "wascc/runner/lattice.h"
#include "wascc/runner/manifest.h"

namespace wascc::tools::wascc_cli {

struct LatticeFlags {
  std::string servers;  // nats://h1:4222[,nats://h2:4222...]
  std::string name;     // "": the manifest's, else "default"
  std::string host_seed, cluster_seed;
  std::vector<std::string> cluster_issuers;
  std::string rpc_timeout;  // "": the manifest's, else 2s
  int retries = -1;         // -1: the manifest's, else 2
  std::string creds_file;

  void add_connection_to(CLI::App& command);  // --lattice, --lattice-name, --nats-creds
  void add_to(CLI::App& command);             // those and the runner's own
  bool joins() const { return !servers.empty(); }
  std::vector<std::string> server_list() const;
  // The flags over a manifest's `lattice` (flags win); joining at all needs a URL from either.
  Result<lattice::Options> options(const std::optional<manifest::LatticeSettings>& manifest = std::nullopt) const;
};

}  // namespace wascc::tools::wascc_cli
