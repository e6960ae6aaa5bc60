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
  return wascc::tools::run_tool(argc, argv, "wascc", kDescription,
                                {cli::setup_call, cli::setup_run, cli::setup_test, cli::setup_policy});
}
