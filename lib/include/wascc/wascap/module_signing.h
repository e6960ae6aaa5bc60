// Signing a module: embed a token whose claims carry the module's hash, its issuer (an
// account key) and subject (the module's own key), and what it may do.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/wascap/claims.h"
#include "wascc/wascap/embedded_claims.h"
#include "wascc/wascap/nkeys.h"
#include "wascc/base/result.h"

namespace wascc::module_signing {

struct SignOptions {
  std::optional<std::string> name;
  std::vector<std::string> tags;
  std::vector<std::string> capabilities;
  std::optional<int32_t> revision;
  std::optional<std::string> version;
  std::optional<std::string> call_alias;  // normalised and checked as wash does
  bool provider = false;
  std::optional<uint64_t> expires;     // absolute, seconds since the epoch
  std::optional<uint64_t> not_before;  // absolute
  // `jwt` is read by every era (waSCC's wascap 0.5 reads nothing else); `wasmcloud_jwt`
  // matches modern wash byte for byte.
  std::string section_name = std::string(embedded_claims::kLegacySectionName);
  uint64_t issued_at = 0;
};

struct SignedModule {
  // The signed module as pieces: views into the input (which must outlive this) and the
  // new headers and claims section. Write it with write_file_atomically, or flatten it.
  ByteChain output;
  claims::ModuleClaims claims;
  std::string token;

  Bytes bytes() const { return output.flatten(); }
};

// The output is the canonical strip of `module` (any earlier claims removed) followed by
// one claims section; the hash is SHA-256 of that strip, wascap_revision 3, so both the
// legacy and the modern verification rule accept it. The issuer must be an account key
// and the subject a module key (a service key for providers).
Result<SignedModule> sign_module(ByteView module, const nkeys::KeyPair& issuer, const nkeys::KeyPair& subject,
                                 const SignOptions& options);
// The output views into the input: a temporary buffer would leave it dangling.
Result<SignedModule> sign_module(Bytes&& module, const nkeys::KeyPair& issuer, const nkeys::KeyPair& subject,
                                 const SignOptions& options) = delete;

}  // namespace wascc::module_signing
