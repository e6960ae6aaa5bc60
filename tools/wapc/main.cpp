// wapc: run waPC guests from the shell.
#include "common/environment.h"
#include "wapc/subcommands.h"

namespace {

constexpr const char* kDescription = R"(wapc: call waPC guests (WebAssembly modules speaking the waPC protocol).

examples:
  $ wapc call echo.wasm echo 'hello'            # the raw reply on stdout, no newline added
  $ printf 'data' | wapc call echo.wasm echo -   # payload from stdin
  $ wapc call hostcall.wasm ask hi --host-handler 'tr a-z A-Z'
  $ wapc call --require-signed --issuer ACODERUV... echo_s.wasm echo hi
  $ wapc bench echo.wasm echo 'hello' -n 10000
  $ wapc compile echo.wasm                       # the native artifact, cached for --engine aot
  $ wapc cache list                              # what the cache holds; wapc cache clean --max-size 500M

exit codes: 0 success, 1 guest error, trap or limit (message on stderr),
2 usage or input error (bad flags, unreadable or malformed module, not a waPC guest).)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "wapc");
  app.set_version_flag("--version", "wapc 0.1.0");
  app.require_subcommand(1);
  namespace cli = wascc::tools::wapc_cli;
  std::vector<wascc::tools::Subcommand> subcommands = {cli::setup_call(app), cli::setup_bench(app), cli::setup_compile(app),
                                                         cli::setup_cache(app)};
  if (int code = wascc::tools::parse_command_line(app, argc, argv); code >= 0) return code;
  // The library reads no environment: where AOT artifacts go and what compiles them come from here.
  wascc::aot_engine::set_default_toolchain(wascc::tools::environment::aot_toolchain());
  return wascc::tools::run_parsed(subcommands);
}
