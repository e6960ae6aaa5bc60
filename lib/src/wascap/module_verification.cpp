#include "wascc/wascap/module_verification.h"

#include <algorithm>

#include "wascc/wascap/nkeys.h"
#include "wascc/base/sha256.h"
#include "wascc/base/unix_time.h"

namespace wascc::module_verification {
namespace {

void add(Report& report, std::string name, CheckStatus status, std::string message) {
  report.checks.push_back({std::move(name), status, std::move(message)});
}

void check_hash(Report& report, ByteView bytes, const module::Layout& layout, bool strict) {
  const auto& claims = *report.claims;
  auto canonical = embedded_claims::canonical_strip(bytes, layout);
  if (canonical && sha256::hash_hex_upper(canonical->pieces()) == claims.module_hash) {
    report.hash_rule = HashRule::CanonicalStrip;
    add(report, "hash", CheckStatus::Passed, "module hash matches (canonical strip)");
    return;
  }
  const uint32_t revision = claims.wascap_revision.value_or(0);
  if (revision >= claims::kWascapRevisionWritten) {
    add(report, "hash", CheckStatus::Failed, "module hash mismatch: the module was changed after signing");
    return;
  }
  // Tokens before revision 3 hashed the module as their signer re-serialised it; for every
  // real file of those eras that equals the module with the claims section cut out.
  if (sha256::hash_hex_upper(embedded_claims::raw_strip(bytes, layout).pieces()) == claims.module_hash) {
    report.hash_rule = HashRule::RawStrip;
    add(report, "hash", CheckStatus::Passed, "module hash matches (legacy raw strip)");
    return;
  }
  add(report, "hash", strict ? CheckStatus::Failed : CheckStatus::Warning,
      "module hash mismatch under both rules; wascap_revision " + std::to_string(revision) +
          " tokens are not hash-checked upstream" + (strict ? "" : " (an error with --strict)"));
}

void check_times(Report& report, uint64_t now) {
  const auto& claims = *report.claims;
  if (claims.expires && *claims.expires < now) {
    add(report, "expiry", CheckStatus::Failed,
        "token expired " + unix_time::relative_phrase(*claims.expires, now) + " (at " +
            unix_time::iso8601_utc(*claims.expires) + ")");
  } else {
    add(report, "expiry", CheckStatus::Passed, "expires " + unix_time::expires_phrase(claims.expires, now));
  }
  if (claims.not_before && now < *claims.not_before) {
    add(report, "not_before", CheckStatus::Failed,
        "token cannot be used before " + unix_time::iso8601_utc(*claims.not_before) + " (" +
            unix_time::relative_phrase(*claims.not_before, now) + ")");
  } else {
    add(report, "not_before", CheckStatus::Passed,
        "can be used " + unix_time::can_be_used_phrase(claims.not_before, now));
  }
}

void check_key_types(Report& report, bool strict) {
  const auto& claims = *report.claims;
  auto issuer = nkeys::decode_public_key(claims.issuer);
  if (issuer && issuer->type != nkeys::KeyType::Account) {
    add(report, "issuer_type", CheckStatus::Failed,
        "issuer " + claims.issuer + " is a " + std::string(nkeys::type_name(issuer->type)) +
            " key; modules are signed by account keys (A...)");
  } else if (issuer) {
    add(report, "issuer_type", CheckStatus::Passed, "issuer is an account key");
  }
  const auto expected = claims.provider ? nkeys::KeyType::Service : nkeys::KeyType::Module;
  auto subject = nkeys::decode_public_key(claims.subject);
  if (!subject) {
    add(report, "subject_type", CheckStatus::Failed,
        "subject " + claims.subject + " is not a valid nkey: " + subject.error().message);
  } else if (claims.provider && subject->type == nkeys::KeyType::Module) {
    // waSCC signed its 2020 providers with module keys (prov: true, subject M...); modern
    // wascap accepts them, so a warning, which --strict makes an error.
    add(report, "subject_type", strict ? CheckStatus::Failed : CheckStatus::Warning,
        "subject " + claims.subject +
            " is a module key: waSCC's 2020 providers were signed so; providers "
            "have service keys (V...) today" +
            std::string(strict ? "" : " (an error with --strict)"));
  } else if (subject->type != expected) {
    add(report, "subject_type", CheckStatus::Failed,
        "subject " + claims.subject + " is a " + std::string(nkeys::type_name(subject->type)) + " key; expected a " +
            std::string(nkeys::type_name(expected)) + " key");
  } else {
    add(report, "subject_type", CheckStatus::Passed,
        "subject is a " + std::string(nkeys::type_name(expected)) + " key");
  }
}

void check_policy(Report& report, const Policy& policy) {
  const auto& claims = *report.claims;
  if (!policy.allowed_issuers.empty()) {
    bool allowed = std::find(policy.allowed_issuers.begin(), policy.allowed_issuers.end(), claims.issuer) !=
                   policy.allowed_issuers.end();
    add(report, "issuer_allowed", allowed ? CheckStatus::Passed : CheckStatus::Failed,
        allowed ? "issuer is on the allow-list" : "issuer " + claims.issuer + " is not on the allow-list");
  }
  if (!policy.revoked.empty()) {
    const auto listed = [&](const std::string& id) {
      return !id.empty() && std::find(policy.revoked.begin(), policy.revoked.end(), id) != policy.revoked.end();
    };
    if (listed(claims.subject)) {
      add(report, "revocation", CheckStatus::Failed, "subject " + claims.subject + " is revoked");
    } else if (listed(claims.jti)) {
      add(report, "revocation", CheckStatus::Failed, "token " + claims.jti + " is revoked");
    } else {
      add(report, "revocation", CheckStatus::Passed, "neither the subject nor the token id is revoked");
    }
  }
  const auto caps = claims.capabilities.value_or(std::vector<std::string>{});
  for (const auto& required : policy.required_capabilities) {
    bool has = std::find(caps.begin(), caps.end(), required) != caps.end();
    add(report, "capability", has ? CheckStatus::Passed : CheckStatus::Failed,
        has ? "claims grant " + required : "claims do not grant required capability " + required);
  }
}

}  // namespace

bool Report::valid() const {
  return std::none_of(checks.begin(), checks.end(),
                      [](const Check& check) { return check.status == CheckStatus::Failed; });
}

const Check* Report::find(std::string_view check_name) const {
  for (const auto& check : checks) {
    if (check.name == check_name) return &check;
  }
  return nullptr;
}

bool Report::passed(std::string_view check_name) const {
  const Check* check = find(check_name);
  return check != nullptr && check->status == CheckStatus::Passed;
}

std::string_view hash_rule_name(HashRule rule) {
  switch (rule) {
    case HashRule::CanonicalStrip: return "canonical strip";
    case HashRule::RawStrip: return "legacy raw strip";
    case HashRule::None: break;
  }
  return "none";
}

Result<Report> verify_module(ByteView bytes, const Policy& policy) {
  auto layout = module::read_layout(bytes);
  if (!layout) return layout.error();
  Report report;
  auto embedded = embedded_claims::find_token(bytes, *layout);
  if (!embedded) {
    add(report, "signed", CheckStatus::Failed, embedded.error().message);
    return report;
  }
  if (!embedded->has_value()) {
    add(report, "signed", CheckStatus::Failed, "module is not signed: no \"jwt\" or \"wasmcloud_jwt\" custom section");
    return report;
  }
  report.embedded = std::move(embedded->value());
  add(report, "signed", CheckStatus::Passed, "claims in \"" + report.embedded->section_name + "\" section");
  if (report.embedded->claims_sections > 1) {
    add(report, "sections", CheckStatus::Warning,
        std::to_string(report.embedded->claims_sections) + " claims sections; the first is used, as upstream does");
  }
  if (report.embedded->nested) {
    add(report, "sections", CheckStatus::Warning,
        "claims found in a nested module's \"jwt\" section, not at the component's top level");
  }

  auto token = jwt::decode(report.embedded->token);
  if (!token) {
    add(report, "token", CheckStatus::Failed, "malformed token: " + token.error().message);
    return report;
  }
  report.token = std::move(token.value());
  auto claims = claims::from_json(report.token->payload);
  if (!claims) {
    add(report, "token", CheckStatus::Failed, "malformed claims: " + claims.error().message);
    return report;
  }
  report.claims = std::move(claims.value());
  add(report, "token", CheckStatus::Passed,
      report.claims->format == claims::TokenFormat::Flat2019 ? "2019 flat token" : "token decoded");

  auto issuer = nkeys::decode_public_key(report.claims->issuer);
  if (!issuer) {
    add(report, "signature", CheckStatus::Failed,
        "issuer " + report.claims->issuer + " is not a valid nkey: " + issuer.error().message);
  } else if (!jwt::verify_signature(*report.token, *issuer)) {
    add(report, "signature", CheckStatus::Failed, "signature does not verify with the issuer's key");
  } else {
    add(report, "signature", CheckStatus::Passed, "signature verifies with the issuer's key");
  }
  check_hash(report, bytes, *layout, policy.strict);
  check_times(report, policy.now);
  check_key_types(report, policy.strict);
  check_policy(report, policy);
  return report;
}

}  // namespace wascc::module_verification
