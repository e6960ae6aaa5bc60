#include "wascc/policy/policy_input.h"

#include "wascc/wascap/nuid.h"
#include "wascc/base/sha256.h"

namespace wascc::policy_input {
namespace {

using Json = jwt::Json;
using module_verification::CheckStatus;

Json optional_number(const std::optional<uint64_t>& value) { return value ? Json(*value) : Json(nullptr); }

template <typename T>
Json optional_value(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json envelope(const char* kind, uint64_t now, Json request) {
  return {{"version", "v1"},
          {"kind", kind},
          {"requestId", nuid::next()},
          {"now", now},
          {"request", std::move(request)},
          {"host", {{"publicKey", ""}, {"lattice", "local"}, {"labels", Json::object()}}}};
}

bool failed(const module_verification::Report& report, std::string_view check) {
  const auto* found = report.find(check);
  return found != nullptr && found->status == CheckStatus::Failed;
}

Json component(const std::string& key, const std::optional<claims::ModuleClaims>& claims, uint64_t now) {
  return {{"componentId", key}, {"imageRef", ""}, {"claims", claims_object(claims, now)}};
}

}  // namespace

Json claims_object(const std::optional<claims::ModuleClaims>& claims, uint64_t now) {
  if (!claims) return nullptr;
  const bool expired = claims->expires && *claims->expires < now;  // as verification: valid through exp
  return {{"publicKey", claims->subject},
          {"issuer", claims->issuer},
          {"issuedAt", std::to_string(claims->issued_at)},
          {"expiresAt", optional_number(claims->expires)},
          {"expired", expired},
          {"notBefore", optional_number(claims->not_before)},
          {"jti", claims->jti},
          {"name", optional_value(claims->name)},
          {"caps", claims->capabilities.value_or(std::vector<std::string>{})},
          {"tags", claims->tags.value_or(std::vector<std::string>{})},
          {"rev", optional_value(claims->revision)},
          {"ver", optional_value(claims->version)},
          {"callAlias", optional_value(claims->call_alias)},
          {"moduleHash", claims->module_hash}};
}

Json start_component(const module_verification::Report& report, const std::string& path, ByteView module,
                     uint64_t now) {
  const std::string key = report.claims ? report.claims->subject : "";
  Json request = component(key, report.claims, now);
  request["imageRef"] = "file:" + path;
  request["module"] = {{"path", path},
                       {"sha256", sha256::hash_hex_upper(module)},
                       {"size", module.size()},
                       {"section", report.embedded ? Json(report.embedded->section_name) : Json(nullptr)}};
  request["jwt"] =
      report.token ? Json{{"header", report.token->header}, {"payload", report.token->payload}} : Json(nullptr);
  request["checks"] = {{"signatureValid", report.passed("signature")},
                       {"hashValid", report.passed("hash")},
                       {"expired", failed(report, "expiry")},
                       {"notYetValid", failed(report, "not_before")},
                       {"issuerAllowed", !failed(report, "issuer_allowed")}};
  return envelope("startComponent", now, std::move(request));
}

Json perform_invocation(const Invocation& invocation, uint64_t now) {
  Json target = invocation.target_actor ? component(*invocation.target_actor, invocation.target_claims, now)
                                        : Json{{"contractId", invocation.interface}, {"link", invocation.link}};
  return envelope("performInvocation", now,
                  {{"interface", invocation.interface},
                   {"function", invocation.function},
                   {"link", invocation.link},
                   {"target", std::move(target)},
                   {"origin", component(invocation.origin_key, invocation.origin_claims, now)}});
}

}  // namespace wascc::policy_input
