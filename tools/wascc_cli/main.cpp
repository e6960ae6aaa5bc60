// wascc: run signed waSCC actors bound to capability providers.
#include "wascc_cli/subcommands.h"

namespace {

constexpr const char* kDescription = R"(wascc: host signed waSCC actors (waPC modules whose claims say what they may call).

examples:
  $ wascc call counter.wasm Increment '{"key": "hits"}' --bind wascc:keyvalue
  $ wascc call echo.wasm HandleRequest --raw - < request.msgpack

Built-in providers so far: wascc:keyvalue (in memory), wascc:extras (bound automatically to
actors that claim it), wascc:logging (to stderr).
exit codes: 0 success; 1 the actor was refused (claims) or its call failed (guest error, trap,
limit, denied capability); 2 usage or input error.)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "wascc");
  app.set_version_flag("--version", "wascc 0.1.0");
  app.require_subcommand(1);
  namespace cli = wascc::tools::wascc_cli;
  std::vector<wascc::tools::Subcommand> subcommands = {cli::setup_call(app)};
  if (int code = wascc::tools::parse_command_line(app, argc, argv); code >= 0) return code;
  return wascc::tools::run_parsed(subcommands);
}
