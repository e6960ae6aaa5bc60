// Verifying a signed module: every check is run and reported (not just the first failure),
// so a deploy gate can say everything that is wrong in one pass.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/wascap/claims.h"
#include "wascc/wascap/embedded_claims.h"
#include "wascc/wascap/jwt.h"
#include "wascc/base/result.h"

namespace wascc::module_verification {

enum class CheckStatus { Passed, Failed, Warning };

struct Check {
  std::string name;  // "signed", "token", "signature", "hash", "expiry", "not_before", ...
  CheckStatus status = CheckStatus::Passed;
  std::string message;
};

enum class HashRule { None, CanonicalStrip, RawStrip };

struct Policy {
  std::vector<std::string> allowed_issuers;  // empty: any issuer
  std::vector<std::string> required_capabilities;
  std::vector<std::string> revoked;  // subjects (M..., V...) or token ids (jti) refused (revocation_list.h)
  bool strict = false;               // an unverifiable legacy hash fails instead of warning
  uint64_t now = 0;
};

struct Report {
  std::optional<embedded_claims::EmbeddedToken> embedded;
  std::optional<jwt::Token> token;
  std::optional<claims::ModuleClaims> claims;
  std::vector<Check> checks;
  HashRule hash_rule = HashRule::None;  // which rule matched the claimed hash

  // True when no check failed. Warnings do not make a module invalid.
  [[nodiscard]] bool valid() const;
  [[nodiscard]] bool passed(std::string_view check_name) const;
  const Check* find(std::string_view check_name) const;
};

// Runs every check that applies. An error result means the bytes are not a wasm binary at
// all (exit 2 in tools); everything else, unsigned included, is a report.
[[nodiscard]] Result<Report> verify_module(ByteView bytes, const Policy& policy);

std::string_view hash_rule_name(HashRule rule);

}  // namespace wascc::module_verification
