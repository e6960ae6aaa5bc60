// wapc: run waPC guests from the shell.
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
  namespace cli = wascc::tools::wapc_cli;
  return wascc::tools::run_tool(
      argc, argv, "wapc", kDescription,
      {{"call", "Call one operation; the raw reply goes to stdout", cli::setup_call},
       {"bench",
        "Call one operation N times; print calls/s and latency percentiles\n"
        "(the last line reads \"N calls/s\")",
        cli::setup_bench},
       {"compile",
        "Translate modules to native code ahead of time, into the cache the aot engine reads\n"
        "($XDG_CACHE_HOME/wascc/aot)",
        cli::setup_compile},
       {"cache",
        "The AOT cache of native artifacts ($XDG_CACHE_HOME/wascc/aot); kept\n"
        "under 2 GiB after every compile, least recently used first",
        cli::setup_cache}});
}
