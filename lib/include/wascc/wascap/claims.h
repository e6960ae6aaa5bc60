// The wascap claims of a module or component, mapped to JSON with upstream's exact field
// names and order (serde's declaration order): exp, jti, iat, iss, sub, nbf, wascap{name,
// hash, tags, caps, rev, ver, call_alias, prov}, wascap_revision.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wascc/wascap/jwt.h"
#include "wascc/base/result.h"

namespace wascc::claims {

// The revision this project writes: 3 = "hash over the canonical strip" (wascap >= 0.10.1),
// which every reader since checks.
inline constexpr uint32_t kWascapRevisionWritten = 3;

enum class TokenFormat {
  Nested,    // 0.2 onwards: metadata under "wascap"
  Flat2019,  // 0.0.x-0.1.x: hash, tags, caps, prov at the top level
};

struct ModuleClaims {
  std::string jti;
  uint64_t issued_at = 0;
  std::string issuer;   // public nkey of the signer (an account key)
  std::string subject;  // public nkey of the module (or a service key for providers)
  std::optional<uint64_t> expires;
  std::optional<uint64_t> not_before;

  std::optional<std::string> name;
  std::string module_hash;  // upper-case hex SHA-256
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<std::string>> capabilities;
  std::optional<int32_t> revision;
  std::optional<std::string> version;
  std::optional<std::string> call_alias;
  bool provider = false;
  std::optional<uint32_t> wascap_revision;

  TokenFormat format = TokenFormat::Nested;
};

// Compact JSON in upstream's field order, optional fields omitted when absent.
std::string to_json_text(const ModuleClaims& claims);

// Reads any era's payload. Errors name the field: `claims.iat: expected an unsigned integer`.
Result<ModuleClaims> from_json(const jwt::Json& payload);

// wascap's normalisation of a call alias (lower case, trimmed, ASCII only, ' ', '-', '.'
// become '_'), then wash's checks: not empty, not a public key, only [a-z0-9_/].
Result<std::string> normalize_call_alias(std::string_view alias);

}  // namespace wascc::claims
