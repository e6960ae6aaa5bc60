// wascap sign IN [-o OUT]: embed signed claims in a module.
#include <filesystem>
#include <iostream>
#include <memory>

#include "wascap/subcommands.h"
#include "common/environment.h"
#include "wascc/wascap/capabilities.h"
#include "wascc/wascap/keystore.h"
#include "wascc/wascap/module_signing.h"
#include "wascc/base/unix_time.h"

namespace wascc::tools::wascap {
namespace {

struct SignCommandOptions {
  std::string input;
  std::string output;
  std::string name;
  std::string issuer;
  std::string subject;
  std::string key_directory;
  bool disable_keygen = false;
  std::vector<std::string> capabilities;
  std::vector<std::string> tags;
  std::optional<int32_t> revision;
  std::optional<std::string> version;
  std::optional<std::string> expires;
  std::optional<std::string> not_before;
  std::optional<std::string> call_alias;
  bool provider = false;
  std::string section = "jwt";
  bool json = false;
};

// wash's default destination: "<dir of source>/<stem>_s.wasm"; stdin goes to stdout.
std::string default_output(const std::string& input) {
  if (input == "-") return "-";
  std::filesystem::path path(input);
  return (path.parent_path() / (path.stem().string() + "_s.wasm")).string();
}

// The issuer or subject: from the flag (or its environment variable), else wash's key
// directory, generating the key there on first use unless --disable-keygen.
Result<nkeys::KeyPair> resolve_key(const std::string& flag_value, const char* flag, const std::string& directory,
                                   const std::string& file_name, nkeys::KeyType type, bool disable_keygen) {
  if (!flag_value.empty()) return keystore::key_from_argument(flag_value, flag);
  auto stored = keystore::load_or_generate(directory, file_name, type, !disable_keygen);
  if (!stored) return stored.error();
  if (stored->generated) {
    std::cerr << "wascap: no " << nkeys::type_name(type) << " key in " << stored->path << ": generated one there (pass "
              << flag << " to use your own)\n";
  }
  return std::move(stored->key);
}

// The claims' fields from the flags, with --expires and --nbf read against `now`.
Result<module_signing::SignOptions> claims_from_flags(const SignCommandOptions& options, uint64_t now) {
  module_signing::SignOptions sign;
  sign.name = options.name;
  sign.tags = options.tags;
  sign.capabilities = options.capabilities;
  sign.revision = options.revision;
  sign.version = options.version;
  sign.call_alias = options.call_alias;
  sign.provider = options.provider;
  sign.section_name = options.section;
  sign.issued_at = now;
  for (auto [text, target, flag] : {std::tuple{&options.expires, &sign.expires, "--expires"},
                                    std::tuple{&options.not_before, &sign.not_before, "--nbf"}}) {
    if (!*text) continue;
    auto when = unix_time::parse_time_spec(**text, now);
    if (!when) return input_error(std::string(flag) + ": " + when.error().message);
    *target = *when;
  }
  if (sign.expires && sign.not_before && *sign.expires <= *sign.not_before) {
    return input_error("--expires " + unix_time::iso8601_utc(*sign.expires) + " is not after --nbf " +
                       unix_time::iso8601_utc(*sign.not_before) + ": the token could never be valid");
  }
  if (sign.expires && *sign.expires <= now) {
    std::cerr << "wascap: warning: --expires " << unix_time::iso8601_utc(*sign.expires)
              << " is already past: the module is signed expired\n";
  }
  return sign;
}

// The issuer (an account) and the subject (a module, or a service with --provider).
Result<std::pair<nkeys::KeyPair, nkeys::KeyPair>> signing_keys(const SignCommandOptions& options) {
  const std::string directory = options.key_directory.empty() ? environment::key_directory() : options.key_directory;
  auto issuer =
      resolve_key(options.issuer, "--issuer", directory, keystore::account_key_file_name(environment::user_name()),
                  nkeys::KeyType::Account, options.disable_keygen);
  if (!issuer) return issuer.error();
  auto file_name = options.subject.empty()
                       ? keystore::subject_key_file_name(options.input, options.provider, options.name)
                       : Result<std::string>(std::string());
  if (!file_name) return file_name.error();
  auto subject =
      resolve_key(options.subject, "--subject", directory, *file_name,
                  options.provider ? nkeys::KeyType::Service : nkeys::KeyType::Module, options.disable_keygen);
  if (!subject) return subject.error();
  return std::pair{std::move(issuer.value()), std::move(subject.value())};
}

// wash's report: JSON, or one line; to stdout unless the module itself goes there.
void report_signed(const SignCommandOptions& options, const std::string& output, const claims::ModuleClaims& claims) {
  std::ostream& report = output == "-" ? std::cerr : std::cout;
  if (options.json) {
    jwt::Json result = {{"destination", output},      {"success", true},
                        {"account", claims.issuer},   {"module", claims.subject},
                        {"hash", claims.module_hash}, {"capabilities", options.capabilities}};
    report << json::dump(result, 2) << '\n';
  } else {
    std::string caps;
    for (const auto& cap : options.capabilities) caps += (caps.empty() ? "" : ",") + cap;
    report << "Successfully signed " << output << " with capabilities: " << (caps.empty() ? "none" : caps) << '\n';
  }
}

// Reads, signs and writes the module, answering its claims. A failure before signing (flags,
// input, keys) or at the write is a usage error; one in the module's bytes keeps its offset.
Result<claims::ModuleClaims> sign_and_write(const SignCommandOptions& options, const std::string& output) {
  auto usage = [](const Error& error) { return Error{ErrorKind::Input, error.message, std::nullopt}; };
  auto now = environment::now();
  if (!now) return usage(now.error());
  auto sign = claims_from_flags(options, *now);
  if (!sign) return usage(sign.error());
  auto module = InputFile::open(options.input, {.magic = kWasmMagic});
  if (!module) return usage(module.error());
  auto keys = signing_keys(options);
  if (!keys) return usage(keys.error());
  auto signed_module = module_signing::sign_module(module->bytes(), keys->first, keys->second, *sign);
  if (!signed_module) return signed_module.error();
  if (auto written = write_file_atomically(output, signed_module->output.pieces()); !written)
    return usage(written.error());
  return std::move(signed_module->claims);
}

int run_sign(const SignCommandOptions& options) {
  const std::string output = options.output.empty() ? default_output(options.input) : options.output;
  auto claims = sign_and_write(options, output);
  if (!claims) {
    print_error("wascap", claims.error().offset ? options.input : "", claims.error());
    return exit_code_for(claims.error());
  }
  report_signed(options, output, *claims);
  return kExitSuccess;
}

}  // namespace

Subcommand setup_sign(CLI::App* sign) {
  auto options = std::make_shared<SignCommandOptions>();
  sign->add_option("input", options->input, "Module to sign (- for stdin)")->required();
  sign->add_option("-o,--output,-d,--destination", options->output,
                   "Signed module (- for stdout; default <dir>/<stem>_s.wasm)");
  sign->add_option("-n,--name", options->name, "Module name")->required();
  sign->add_option("-i,--issuer", options->issuer, "Account seed that signs (env WASH_ISSUER_KEY)")
      ->envname("WASH_ISSUER_KEY");
  sign->add_option("-u,--subject", options->subject, "Module seed (env WASH_SUBJECT_KEY)")->envname("WASH_SUBJECT_KEY");
  sign->add_option("--directory", options->key_directory, "Key directory (env WASH_KEYS)");
  sign->add_flag("--disable-keygen", options->disable_keygen, "Fail instead of generating missing keys");
  add_repeatable_option(*sign, "-c,--cap", options->capabilities, "Capability contract id (repeatable)");
  for (const auto& shorthand : capabilities::waSCC_shorthands()) {
    std::string names = "--" + std::string(shorthand.flag);
    if (!shorthand.short_flag.empty()) names = "-" + std::string(shorthand.short_flag) + "," + names;
    std::string id(shorthand.contract_id);
    sign->add_flag_callback(
        names, [options, id] { options->capabilities.push_back(id); }, "Shorthand for -c " + id);
  }
  add_repeatable_option(*sign, "-t,--tag", options->tags, "Tag (repeatable)");
  sign->add_option("-r,--rev", options->revision, "Revision number");
  sign->add_option("-v,--ver", options->version, "Human-readable version, e.g. 0.1.0");
  sign->add_option("-x,--expires", options->expires, "Expiry: days from now, YYYY-MM-DD[THH:MM:SSZ] (UTC) or @SECONDS");
  sign->add_option("-b,--nbf", options->not_before, "Not valid before: same forms as --expires");
  sign->add_option("-a,--call-alias", options->call_alias, "Call alias (lowercase, digits, _ and /)");
  sign->add_flag("-p,--prov,--provider", options->provider, "Sign a capability provider (subject is a service key)");
  sign->add_option("--section", options->section,
                   "Claims section: jwt (read by every era) or wasmcloud_jwt (as modern wash)")
      ->check(CLI::IsMember({"jwt", "wasmcloud_jwt"}));
  sign->add_flag("--json", options->json, "Print the result as JSON");
  return {sign, [options] { return run_sign(*options); }};
}

}  // namespace wascc::tools::wascap
