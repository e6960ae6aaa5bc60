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
      {{"keys", "Generate nkeys and derive public keys", cli::setup_keys},
       {"sign",
        "Embed signed claims in a module (re-signing replaces earlier claims)\n"
        "Keys: a seed, @FILE, or a seed file path; when omitted, keys come from the key directory\n"
        "(--directory, $WASH_KEYS or ~/.wash/keys, as wash) and are generated there on first use.",
        cli::setup_sign},
       {"inspect", "Show a module's claims: signer, module key, validity, capabilities, tags", cli::setup_inspect},
       {"verify",
        "Check signed modules: claims present, signature, module hash, expiry, not-before,\n"
        "issuer is an account key, subject a module (or service) key. Every failed check is\n"
        "reported. Exit 0 valid, 1 invalid, 2 usage or input error.",
        cli::setup_verify},
       {"push", "Store a signed module in an OCI registry (as wash reg push); it must verify", cli::setup_push},
       {"pull", "Fetch a signed module from an OCI registry; written only if it verifies", cli::setup_pull}});
}
