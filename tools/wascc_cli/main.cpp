// wascc: run signed waSCC actors bound to capability providers.
#include "common/environment.h"
#include "wascc_cli/subcommands.h"

namespace {

constexpr const char* kDescription = R"(wascc: host signed waSCC actors (waPC modules whose claims say what they may call).

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
  CLI::App app(kDescription, "wascc");
  app.set_version_flag("--version", "wascc 0.1.0");
  app.require_subcommand(1);
  namespace cli = wascc::tools::wascc_cli;
  std::vector<wascc::tools::Subcommand> subcommands = {cli::setup_call(app), cli::setup_run(app), cli::setup_test(app), cli::setup_policy(app)};
  if (int code = wascc::tools::parse_command_line(app, argc, argv); code >= 0) return code;
  // The library reads no environment: where AOT artifacts go and what compiles them come from here.
  wascc::aot_engine::set_default_toolchain(wascc::tools::environment::aot_toolchain());
  return wascc::tools::run_parsed(subcommands);
}
