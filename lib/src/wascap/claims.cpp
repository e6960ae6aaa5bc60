#include "wascc/wascap/claims.h"

#include <cctype>

namespace wascc::claims {
namespace {

Error field_error(const std::string& field, const std::string& problem) {
  return input_error("claims." + field + ": " + problem);
}

Result<uint64_t> read_unsigned(const jwt::Json& object, const char* key, const std::string& path) {
  const auto& value = object.at(key);
  if (!value.is_number_unsigned()) return field_error(path, "expected an unsigned integer");
  return value.get<uint64_t>();
}

// Seconds since the epoch, up to the last second of year 9999: a larger time has no date to
// show or compare (an nbf of 1e19 printed as a garbled date before).
constexpr uint64_t kLastRepresentableTime = 253'402'300'799;  // 9999-12-31T23:59:59Z

Result<uint64_t> read_time(const jwt::Json& object, const char* key) {
  auto value = read_unsigned(object, key, key);
  if (!value) return value.error();
  if (*value > kLastRepresentableTime) {
    return field_error(key, std::to_string(*value) + " is after 9999-12-31T23:59:59Z, out of range");
  }
  return value;
}

Result<std::string> read_string(const jwt::Json& object, const char* key, const std::string& path) {
  const auto& value = object.at(key);
  if (!value.is_string()) return field_error(path, "expected a string");
  return value.get<std::string>();
}

Result<std::vector<std::string>> read_string_list(const jwt::Json& object, const char* key, const std::string& path) {
  const auto& value = object.at(key);
  if (!value.is_array()) return field_error(path, "expected an array of strings");
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (!item.is_string()) return field_error(path, "expected an array of strings");
    items.push_back(item.get<std::string>());
  }
  return items;
}

bool present(const jwt::Json& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && !found->is_null();
}

// Reads the metadata fields that sit under "wascap" (or at the top level in 2019 tokens).
Status read_metadata(const jwt::Json& object, const std::string& prefix, ModuleClaims& claims) {
  if (!present(object, "hash")) return field_error(prefix + "hash", "missing (required)");
  auto hash = read_string(object, "hash", prefix + "hash");
  if (!hash) return hash.error();
  claims.module_hash = *hash;
  if (present(object, "name")) {
    auto name = read_string(object, "name", prefix + "name");
    if (!name) return name.error();
    claims.name = *name;
  }
  if (present(object, "tags")) {
    auto tags = read_string_list(object, "tags", prefix + "tags");
    if (!tags) return tags.error();
    claims.tags = *tags;
  }
  if (present(object, "caps")) {
    auto caps = read_string_list(object, "caps", prefix + "caps");
    if (!caps) return caps.error();
    claims.capabilities = *caps;
  }
  if (present(object, "rev")) {
    const auto& rev = object.at("rev");
    if (!rev.is_number_integer() || rev.get<int64_t>() < INT32_MIN || rev.get<int64_t>() > INT32_MAX) {
      return field_error(prefix + "rev", "expected a 32-bit integer");
    }
    claims.revision = static_cast<int32_t>(rev.get<int64_t>());
  }
  if (present(object, "ver")) {
    auto ver = read_string(object, "ver", prefix + "ver");
    if (!ver) return ver.error();
    claims.version = *ver;
  }
  if (present(object, "call_alias")) {
    auto alias = read_string(object, "call_alias", prefix + "call_alias");
    if (!alias) return alias.error();
    claims.call_alias = *alias;
  }
  if (present(object, "prov")) {
    if (!object.at("prov").is_boolean()) return field_error(prefix + "prov", "expected true or false");
    claims.provider = object.at("prov").get<bool>();
  }
  return ok_status();
}

}  // namespace

std::string to_json_text(const ModuleClaims& claims) {
  jwt::Json root = jwt::Json::object();
  if (claims.expires) root["exp"] = *claims.expires;
  root["jti"] = claims.jti;
  root["iat"] = claims.issued_at;
  root["iss"] = claims.issuer;
  root["sub"] = claims.subject;
  if (claims.not_before) root["nbf"] = *claims.not_before;

  jwt::Json meta = jwt::Json::object();
  if (claims.name) meta["name"] = *claims.name;
  meta["hash"] = claims.module_hash;
  if (claims.tags) meta["tags"] = *claims.tags;
  if (claims.capabilities) meta["caps"] = *claims.capabilities;
  if (claims.revision) meta["rev"] = *claims.revision;
  if (claims.version) meta["ver"] = *claims.version;
  if (claims.call_alias) meta["call_alias"] = *claims.call_alias;
  meta["prov"] = claims.provider;
  root["wascap"] = std::move(meta);
  if (claims.wascap_revision) root["wascap_revision"] = *claims.wascap_revision;
  // serde_json's compact form: no spaces, non-ASCII raw, '/' unescaped.
  return json::dump(root);
}

Result<ModuleClaims> from_json(const jwt::Json& payload) {
  ModuleClaims claims;
  for (const char* required : {"jti", "iat", "iss", "sub"}) {
    if (!present(payload, required)) return field_error(required, "missing (required)");
  }
  auto jti = read_string(payload, "jti", "jti");
  if (!jti) return jti.error();
  claims.jti = *jti;
  auto iat = read_time(payload, "iat");
  if (!iat) return iat.error();
  claims.issued_at = *iat;
  auto iss = read_string(payload, "iss", "iss");
  if (!iss) return iss.error();
  if (iss->empty()) return field_error("iss", "empty: wascap requires an issuer");
  claims.issuer = *iss;
  auto sub = read_string(payload, "sub", "sub");
  if (!sub) return sub.error();
  if (sub->empty()) return field_error("sub", "empty: wascap requires a subject");
  claims.subject = *sub;
  if (present(payload, "exp")) {
    auto exp = read_time(payload, "exp");
    if (!exp) return exp.error();
    claims.expires = *exp;
  }
  if (present(payload, "nbf")) {
    auto nbf = read_time(payload, "nbf");
    if (!nbf) return nbf.error();
    claims.not_before = *nbf;
  }
  if (present(payload, "wascap_revision")) {
    auto revision = read_unsigned(payload, "wascap_revision", "wascap_revision");
    if (!revision || *revision > UINT32_MAX) {
      return field_error("wascap_revision", "expected an unsigned 32-bit integer");
    }
    claims.wascap_revision = static_cast<uint32_t>(*revision);
  }

  if (present(payload, "wascap")) {
    const auto& meta = payload.at("wascap");
    if (!meta.is_object()) return field_error("wascap", "expected an object");
    auto status = read_metadata(meta, "wascap.", claims);
    if (!status) return status.error();
  } else if (present(payload, "hash")) {
    claims.format = TokenFormat::Flat2019;
    auto status = read_metadata(payload, "", claims);
    if (!status) return status.error();
  } else {
    return field_error("wascap", "missing: the token carries no module claims");
  }
  return claims;
}

Result<std::string> normalize_call_alias(std::string_view alias) {
  std::string normalized;
  for (char raw : alias) {
    auto c = static_cast<unsigned char>(raw);
    if (c >= 0x80) continue;
    normalized.push_back(static_cast<char>(std::tolower(c)));
  }
  size_t begin = normalized.find_first_not_of(" \t\r\n");
  size_t end = normalized.find_last_not_of(" \t\r\n");
  normalized = begin == std::string::npos ? "" : normalized.substr(begin, end - begin + 1);
  for (char& c : normalized) {
    if (c == ' ' || c == '-' || c == '.') c = '_';
  }
  if (normalized.empty()) return input_error("call alias cannot be empty");
  bool looks_like_key = alias.size() == 56;
  for (char c : alias)
    looks_like_key =
        looks_like_key && (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)));
  if (looks_like_key) return input_error("a public key cannot be used as a call alias");
  for (char c : normalized) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
          c == '/')) {
      return input_error("call alias \"" + std::string(alias) +
                         "\" has invalid characters: use lowercase letters, digits, '_' and '/'");
    }
  }
  return normalized;
}

}  // namespace wascc::claims
