// wascap: sign, inspect and verify the claims embedded in WebAssembly modules.
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
  namespace cli = wascc::tools::wascap;
  return wascc::tools::run_tool(
      argc, argv, "wascap", kDescription,
      {cli::setup_keys, cli::setup_sign, cli::setup_inspect, cli::setup_verify, cli::setup_push, cli::setup_pull});
}
