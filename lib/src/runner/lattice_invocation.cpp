#include "wascc/runner/lattice_invocation.h"

#include <cctype>
#include <functional>

#include "wascc/base/json.h"
#include "wascc/base/msgpack_reader.h"
#include "wascc/base/msgpack_writer.h"
#include "wascc/base/sha256.h"
#include "wascc/base/unix_time.h"
#include "wascc/wascap/jwt.h"
#include "wascc/wascap/nuid.h"

namespace wascc::lattice_invocation {
namespace {

std::string target_with_operation(const Invocation& invocation) {
  return invocation.target + "/" + invocation.operation;
}

std::string invocation_hash(const Invocation& invocation) {
  const std::string target = target_with_operation(invocation);
  return sha256::hash_hex_upper({as_bytes(invocation.origin), as_bytes(target), ByteView(invocation.msg)});
}

// The token's payload in wascap's field order (exp, jti, iat, iss, sub, wascap).
std::string token_payload(const Invocation& invocation, const std::string& issuer) {
  Json payload;
  payload["exp"] = (invocation.deadline_ms + 999) / 1000;
  payload["jti"] = invocation.id;
  payload["iat"] = unix_time::now();
  payload["iss"] = issuer;
  payload["sub"] = invocation.id;
  payload["wascap"] = {{"target_url", target_with_operation(invocation)},
                       {"origin_url", invocation.origin},
                       {"hash", invocation_hash(invocation)}};
  return json::dump(payload);
}

Error malformed(const std::string& what) { return input_error("lattice invocation: " + what); }

// Each entry of a msgpack map with text keys: `read` takes the value at the cursor (or skips
// it). Fields a newer peer adds are skipped by the readers.
Status read_map(ByteView wire, const char* what,
                const std::function<Status(std::string_view key, msgpack::Cursor& cursor)>& read) {
  msgpack::Cursor cursor(wire);
  auto entries = cursor.map_header();
  if (!entries) return input_error(std::string(what) + ": not a msgpack map");
  for (uint32_t i = 0; i < *entries; ++i) {
    auto key = cursor.text();
    if (!key)
      return input_error(std::string(what) + ": a key is not a string at byte " + std::to_string(cursor.offset()));
    if (auto value = read(*key, cursor); !value) return value;
  }
  return ok_status();
}

Status read_text(msgpack::Cursor& cursor, std::string_view key, const char* what, std::string& into) {
  auto value = cursor.text();
  if (!value) return input_error(std::string(what) + ": " + std::string(key) + ": expected a string");
  into = std::string(*value);
  return ok_status();
}

Status read_bytes(msgpack::Cursor& cursor, std::string_view key, const char* what, Bytes& into) {
  auto value = cursor.binary_or_text();
  if (!value) return input_error(std::string(what) + ": " + std::string(key) + ": expected bytes");
  into.assign(value->begin(), value->end());
  return ok_status();
}

Status skip(msgpack::Cursor& cursor, const char* what) {
  if (cursor.skip()) return ok_status();
  return input_error(std::string(what) + ": truncated at byte " + std::to_string(cursor.offset()));
}

}  // namespace

std::string actor_url(const std::string& actor) { return "wasmbus://" + actor; }

std::string capability_url(const std::string& contract_id, const std::string& binding) {
  std::string path;
  for (char c : contract_id) {
    path.push_back(c == ':' ? '/' : c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return "wasmbus://" + path + "/" + binding;
}

Invocation make(const Signer& signer, std::string origin, std::string target, std::string operation, Bytes msg,
                uint64_t deadline_ms) {
  Invocation invocation{std::move(origin), std::move(target), std::move(operation), std::move(msg), nuid::next(), "",
                        signer.host_id,    deadline_ms};
  invocation.encoded_claims =
      jwt::sign(token_payload(invocation, signer.cluster_key.public_key_text()), signer.cluster_key);
  return invocation;
}

Bytes encode(const Invocation& invocation) {
  MsgpackWriter out;
  out.reserve(invocation.msg.size() + invocation.encoded_claims.size() + 256);
  out.map_header(8);
  out.text_entry("origin", invocation.origin);
  out.text_entry("target", invocation.target);
  out.text_entry("operation", invocation.operation);
  out.binary_entry("msg", as_text(invocation.msg));
  out.text_entry("id", invocation.id);
  out.text_entry("encoded_claims", invocation.encoded_claims);
  out.text_entry("host_id", invocation.host_id);
  out.unsigned_entry("deadline_ms", invocation.deadline_ms);
  return out.take();
}

Result<Invocation> decode(ByteView wire) {
  Invocation invocation;
  auto read = read_map(wire, "lattice invocation", [&](std::string_view key, msgpack::Cursor& cursor) -> Status {
    std::string* field = key == "origin"           ? &invocation.origin
                         : key == "target"         ? &invocation.target
                         : key == "operation"      ? &invocation.operation
                         : key == "id"             ? &invocation.id
                         : key == "encoded_claims" ? &invocation.encoded_claims
                         : key == "host_id"        ? &invocation.host_id
                                                   : nullptr;
    if (field != nullptr) return read_text(cursor, key, "lattice invocation", *field);
    if (key == "msg") return read_bytes(cursor, key, "lattice invocation", invocation.msg);
    if (key != "deadline_ms") return skip(cursor, "lattice invocation");
    auto value = cursor.unsigned_integer();
    if (!value) return malformed("deadline_ms: expected an unsigned integer");
    invocation.deadline_ms = *value;
    return ok_status();
  });
  if (!read) return read.error();
  if (invocation.id.empty()) return malformed("no id");
  if (invocation.encoded_claims.empty()) return malformed("no encoded_claims");
  return invocation;
}

Bytes encode_response(const Response& response) {
  MsgpackWriter out;
  out.reserve(response.msg.size() + response.error.size() + 96);
  out.map_header(response.error.empty() ? 2 : 4);
  out.binary_entry("msg", as_text(response.msg));
  out.text_entry("invocation_id", response.invocation_id);
  if (!response.error.empty()) {
    out.text_entry("error", response.error);
    out.text_entry("failure", response.failure);
  }
  return out.take();
}

Result<Response> decode_response(ByteView wire) {
  Response response;
  auto read = read_map(wire, "lattice response", [&](std::string_view key, msgpack::Cursor& cursor) -> Status {
    std::string* field = key == "error"           ? &response.error
                         : key == "invocation_id" ? &response.invocation_id
                         : key == "failure"       ? &response.failure
                                                  : nullptr;
    if (field != nullptr) return read_text(cursor, key, "lattice response", *field);
    if (key == "msg") return read_bytes(cursor, key, "lattice response", response.msg);
    return skip(cursor, "lattice response");
  });
  if (!read) return read.error();
  return response;
}

Status verify(const Invocation& invocation, const Expectations& expected) {
  auto token = jwt::decode(invocation.encoded_claims);
  if (!token) return invalid_error("invocation token: " + token.error().message);
  const std::string issuer = json::text_field(token->payload, "iss");
  auto issuer_key = nkeys::decode_public_key(issuer);
  if (!issuer_key || issuer_key->type != nkeys::KeyType::Cluster) {
    return invalid_error("invocation token: issuer \"" + issuer + "\" is not a cluster key");
  }
  if (!jwt::verify_signature(*token, *issuer_key)) {
    return invalid_error("invocation signature does not verify with its issuer " + issuer);
  }
  bool known_issuer = false;
  for (const auto& accepted : expected.cluster_issuers) known_issuer = known_issuer || accepted == issuer;
  if (!known_issuer) return invalid_error("invocation issuer " + issuer + " is not a cluster issuer of this lattice");
  const Json& claims = token->payload.contains("wascap") ? token->payload["wascap"] : Json::object();
  if (!claims.is_object() || json::text_field(claims, "hash") != invocation_hash(invocation) ||
      json::text_field(claims, "origin_url") != invocation.origin ||
      json::text_field(claims, "target_url") != target_with_operation(invocation) ||
      json::text_field(token->payload, "jti") != invocation.id) {
    return invalid_error("invocation hash does not match: origin, target, operation, msg or id changed after signing");
  }
  if (invocation.target != expected.target) {
    return invalid_error("invocation for " + invocation.target + " arrived on the subject of " + expected.target);
  }
  const auto expires = token->payload.contains("exp") && token->payload["exp"].is_number_unsigned()
                           ? token->payload["exp"].get<uint64_t>()
                           : 0;
  if (invocation.deadline_ms > expires * 1000) {
    return invalid_error("invocation deadline is past its token's expiry");
  }
  if (expected.now_ms >= invocation.deadline_ms) {
    return invalid_error("invocation expired " + std::to_string(expected.now_ms - invocation.deadline_ms) +
                         " ms before it could start (deadline passed)");
  }
  return ok_status();
}

}  // namespace wascc::lattice_invocation
