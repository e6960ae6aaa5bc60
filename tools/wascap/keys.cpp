// wascap keys gen TYPE | wascap keys public SEED
#include <iostream>
#include <memory>

#include "wascap/subcommands.h"
#include "wascc/wascap/keystore.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::tools::wascap {
namespace {

struct KeysOptions {
  std::string type;
  std::string seed;
  bool json = false;
};

int run_gen(const KeysOptions& options) {
  auto type = nkeys::key_type_from_name(options.type);
  if (!type || *type == nkeys::KeyType::Curve) {
    print_error("wascap", "unknown key type \"" + options.type +
                              "\": use account, module, operator, server, user, service or cluster");
    return kExitUsage;
  }
  auto key = nkeys::KeyPair::generate(*type);
  if (options.json) {
    print_json({{"public_key", key.public_key_text()}, {"seed", key.seed_text()}});
  } else {
    std::cout << "Public Key: " << key.public_key_text() << "\nSeed: " << key.seed_text()
              << "\n\nKeep the seed secret: anyone who has it can sign as this key.\n";
  }
  return kExitSuccess;
}

int run_public(const KeysOptions& options) {
  std::string argument = options.seed == "-" ? "@/dev/stdin" : options.seed;
  auto key = keystore::key_from_argument(argument, "seed");
  if (!key) {
    print_error("wascap", key.error().message);
    return exit_code_for(key.error());
  }
  if (options.json) {
    print_json({{"public_key", key->public_key_text()}, {"type", std::string(nkeys::type_name(key->type()))}});
  } else {
    std::cout << key->public_key_text() << '\n';
  }
  return kExitSuccess;
}

}  // namespace

Subcommand setup_keys(CLI::App* keys) {
  auto options = std::make_shared<KeysOptions>();
  keys->require_subcommand(1);

  auto* gen = keys->add_subcommand("gen", "Generate a key pair and print its public key and seed");
  gen->add_option("type", options->type,
                  "account, module (component), service (provider), operator, server (host), user, cluster")
      ->required();
  gen->add_flag("--json", options->json, "Print {\"public_key\", \"seed\"}");

  auto* pub = keys->add_subcommand("public", "Print the public key of a seed");
  pub->add_option("seed", options->seed, "The seed, @FILE holding it, or - for stdin")->required();
  pub->add_flag("--json", options->json, "Print {\"public_key\", \"type\"}");

  return {keys, [options, gen, pub]() {
            if (gen->parsed()) return run_gen(*options);
            if (pub->parsed()) return run_public(*options);
            return kExitUsage;
          }};
}

}  // namespace wascc::tools::wascap
