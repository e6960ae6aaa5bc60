#include "wascc/wascap/module_signing.h"

#include "wascc/wasm/custom_sections.h"
#include "wascc/wascap/nuid.h"
#include "wascc/base/sha256.h"

namespace wascc::module_signing {
namespace {

Status check_keys(const nkeys::KeyPair& issuer, const nkeys::KeyPair& subject, bool provider) {
  if (issuer.type() != nkeys::KeyType::Account) {
    return input_error("issuer must be an account key (seed \"SA...\"), got a " +
                       std::string(nkeys::type_name(issuer.type())) + " key");
  }
  const auto expected = provider ? nkeys::KeyType::Service : nkeys::KeyType::Module;
  if (subject.type() != expected) {
    return input_error(std::string("subject must be a ") + std::string(nkeys::type_name(expected)) + " key (seed \"S" +
                       nkeys::type_letter(expected) + "...\"), got a " + std::string(nkeys::type_name(subject.type())) +
                       " key");
  }
  return ok_status();
}

}  // namespace

Result<SignedModule> sign_module(ByteView module, const nkeys::KeyPair& issuer, const nkeys::KeyPair& subject,
                                 const SignOptions& options) {
  if (!embedded_claims::is_claims_section_name(options.section_name)) {
    return input_error("claims section must be \"jwt\" or \"wasmcloud_jwt\", not \"" + options.section_name + "\"");
  }
  if (auto keys = check_keys(issuer, subject, options.provider); !keys) return keys.error();
  if (options.provider && options.capabilities.size() > 1) {
    return input_error("capability providers cannot provide multiple capabilities at once");
  }
  auto layout = module::read_layout(module);
  if (!layout) return layout.error();

  // The strip is a chain of views into the input: signing costs one hash of the module and
  // one write, no copy.
  auto stripped = embedded_claims::canonical_strip(module, *layout);
  if (!stripped) return stripped.error();
  SignedModule signed_module;
  signed_module.output = std::move(stripped.value());

  claims::ModuleClaims& claims = signed_module.claims;
  claims.jti = nuid::next();
  claims.issued_at = options.issued_at;
  claims.issuer = issuer.public_key_text();
  claims.subject = subject.public_key_text();
  claims.expires = options.expires;
  claims.not_before = options.not_before;
  claims.name = options.name;
  claims.module_hash = sha256::hash_hex_upper(signed_module.output.pieces());
  claims.tags = options.tags;
  if (!options.capabilities.empty()) claims.capabilities = options.capabilities;
  claims.revision = options.revision;
  claims.version = options.version;
  if (options.call_alias) {
    auto alias = claims::normalize_call_alias(*options.call_alias);
    if (!alias) return alias.error();
    claims.call_alias = *alias;
  }
  claims.provider = options.provider;
  claims.wascap_revision = claims::kWascapRevisionWritten;

  signed_module.token = jwt::sign(claims::to_json_text(claims), issuer);
  signed_module.output.append_owned(custom_sections::encode(options.section_name, as_bytes(signed_module.token)));
  return signed_module;
}

}  // namespace wascc::module_signing
