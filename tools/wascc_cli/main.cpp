// wascc: run signed waSCC actors bound to capability providers.
#include "wascc_cli/subcommands.h"

namespace {

constexpr const char* kDescription =
    R"(wascc: host signed waSCC actors (waPC modules whose claims say what they may call).

examples:
  $ wascc run http_echo_s.wasm --bind 'wascc:http_server?PORT=8080'
  $ wascc run manifest.yaml --expand-env --watch
  $ wascc test scenarios/*.yaml --junit report.xml
  $ wascc call kvcounter_s.wasm HandleRequest '{"method":"GET","path":"/hits"}' --bind wascc:keyvalue

Built-in providers: wascc:http_server (a real HTTP server per actor, PORT, ADDRESS default
127.0.0.1), wascc:keyvalue (in memory; Redis with URL=redis://...), wascc:messaging (in process;
NATS with URL=nats://..., SUBSCRIPTION, QUEUEGROUP_NAME), wascc:logging (to stderr),
wascc:extras (bound automatically to actors that claim it).
exit codes: 0 success (run: stopped by SIGINT/SIGTERM); 1 the actor was refused (claims) or its call failed (guest error, trap,
limit, denied capability); 2 usage or input error.)";

}  // namespace

int main(int argc, char** argv) {
  namespace cli = wascc::tools::wascc_cli;
  return wascc::tools::run_tool(
      argc, argv, "wascc", kDescription,
      {{"call",
        "Invoke one operation of a signed actor; the reply goes to stdout\n"
        "(msgpack replies as JSON unless --raw)",
        cli::setup_call},
       {"run",
        "Host actors until SIGINT or SIGTERM: a waSCC manifest (YAML or JSON),\n"
        "or one signed actor with its --bind specs",
        cli::setup_run},
       {"test",
        "Run scenario files (actors, bindings, steps with expectations);\n"
        "one line per step, then \"N passed, N failed\"; exit 0 only when all pass",
        cli::setup_test},
       {"policy", "OPA policies compiled to wasm", cli::setup_policy},
       {"lattice", "What a lattice of runners joined over NATS holds: hosts, actors, providers, links",
        cli::setup_lattice}});
}
