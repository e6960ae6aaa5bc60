// wascap: sign, inspect and verify the claims embedded in WebAssembly modules.
#include "common/environment.h"
#include "wascap/subcommands.h"

namespace {

constexpr const char* kDescription = R"(wascap: signed capability claims for WebAssembly modules.

A module's claims are a JWT (Ed25519, NATS nkeys) in a "jwt" custom section, readable and
verifiable by every wascap/wash era.

examples:
  $ wascap keys gen account
  $ wascap sign echo.wasm -o echo_s.wasm --name echo --issuer @account.nk -c wascc:messaging
  $ wascap inspect echo_s.wasm
  $ wascap verify echo_s.wasm --issuer ACOJJN6W... --require-cap wascc:messaging
  $ wascap push localhost:5000/echo:0.1.0 echo_s.wasm    # an OCI registry, as wash reg push
  $ wascap pull localhost:5000/echo:0.1.0 -o echo_s.wasm

exit codes: 0 success (verify: valid), 1 the check failed (invalid, expired, unsigned),
2 usage or input error (bad flags, unreadable file, not wasm, bad key).)";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "wascap");
  app.set_version_flag("--version", "wascap 0.1.0");
  app.require_subcommand(1);
  namespace cli = wascc::tools::wascap;
  std::vector<wascc::tools::Subcommand> subcommands = {
      cli::setup_keys(app), cli::setup_sign(app), cli::setup_inspect(app), cli::setup_verify(app),
      cli::setup_push(app), cli::setup_pull(app)};
  if (int code = wascc::tools::parse_command_line(app, argc, argv); code >= 0) return code;
  // The library reads no environment: where AOT artifacts go and what compiles them come from here.
  wascc::aot_engine::set_default_toolchain(wascc::tools::environment::aot_toolchain());
  return wascc::tools::run_parsed(subcommands);
}
