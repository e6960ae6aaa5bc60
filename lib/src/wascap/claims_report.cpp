#include "wascc/wascap/claims_report.h"

#include <sstream>

#include "wascc/wascap/capabilities.h"
#include "wascc/wascap/nkeys.h"
#include "wascc/base/unix_time.h"

namespace wascc::claims_report {
namespace {

using module_verification::CheckStatus;

constexpr size_t kLabelWidth = 15;

std::string key_label(const std::string& key, const char* fallback) {
  auto decoded = nkeys::decode_public_key(key);
  if (!decoded) return fallback;
  switch (decoded->type) {
    case nkeys::KeyType::Account: return "Account";
    case nkeys::KeyType::Module: return "Module";
    case nkeys::KeyType::Service: return "Service";
    case nkeys::KeyType::Operator: return "Operator";
    case nkeys::KeyType::Server: return "Server";
    case nkeys::KeyType::User: return "User";
    case nkeys::KeyType::Cluster: return "Cluster";
    case nkeys::KeyType::Curve: return "Curve";
  }
  return fallback;
}

void row(std::ostringstream& out, const std::string& label, const std::string& value) {
  out << "  " << label;
  out << std::string(label.size() < kLabelWidth ? kLabelWidth - label.size() : 1, ' ');
  out << value << '\n';
}

std::string check_cell(const module_verification::Report& report, const char* name, const char* good) {
  const auto* check = report.find(name);
  if (check == nullptr) return "not checked";
  switch (check->status) {
    case CheckStatus::Passed:
      return name == std::string_view("hash")
                 ? std::string(good) + " (" + std::string(hash_rule_name(report.hash_rule)) + ")"
                 : good;
    case CheckStatus::Warning: return "unverified: " + check->message;
    case CheckStatus::Failed: return "INVALID: " + check->message;
  }
  return "";
}

}  // namespace

std::string_view status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::Passed: return "passed";
    case CheckStatus::Failed: return "failed";
    case CheckStatus::Warning: return "warning";
  }
  return "";
}

std::string claims_table(const module_verification::Report& report, module::BinaryKind kind, uint64_t now) {
  const auto& claims = *report.claims;
  std::ostringstream out;
  const char* what = claims.provider                         ? "Capability Provider"
                     : kind == module::BinaryKind::Component ? "Component"
                                                             : "Module";
  out << claims.name.value_or("(unnamed)") << " - " << what << '\n';
  row(out, key_label(claims.issuer, "Issuer"), claims.issuer);
  row(out, key_label(claims.subject, "Subject"), claims.subject);

  std::string expires = unix_time::expires_phrase(claims.expires, now);
  if (claims.expires && *claims.expires < now) expires += " (expired)";
  row(out, "Expires", expires);
  std::string usable = unix_time::can_be_used_phrase(claims.not_before, now);
  if (claims.not_before && now < *claims.not_before) usable += " (not yet)";
  row(out, "Can Be Used", usable);
  row(out, "Version", claims.version.value_or("None") + " (" + std::to_string(claims.revision.value_or(0)) + ")");
  row(out, "Call Alias", claims.call_alias.value_or("(Not set)"));
  row(out, "Signature", check_cell(report, "signature", "valid"));
  row(out, "Hash", check_cell(report, "hash", "valid"));

  out << "  " << (claims.provider ? "Capability Provider" : "Capabilities") << '\n';
  const auto caps = claims.capabilities.value_or(std::vector<std::string>{});
  if (caps.empty()) out << "    None\n";
  for (const auto& cap : caps) {
    auto name = capabilities::friendly_name(cap);
    if (name) {
      row(out, "  " + std::string(*name), cap);
    } else {
      out << "    " << cap << '\n';
    }
  }
  out << "  Tags\n";
  const auto tags = claims.tags.value_or(std::vector<std::string>{});
  if (tags.empty()) out << "    None\n";
  for (const auto& tag : tags) out << "    " << tag << '\n';
  return out.str();
}

jwt::Json verdict_json(const std::string& file, const module_verification::Report& report) {
  jwt::Json verdict = jwt::Json::object();
  verdict["file"] = file;
  verdict["valid"] = report.valid();
  jwt::Json checks = jwt::Json::array();
  for (const auto& check : report.checks) {
    checks.push_back(
        {{"check", check.name}, {"status", std::string(status_name(check.status))}, {"message", check.message}});
  }
  verdict["checks"] = std::move(checks);
  verdict["claims"] = report.token ? report.token->payload : jwt::Json(nullptr);
  return verdict;
}

}  // namespace wascc::claims_report
