#include "wascc/wascap/jwt.h"

#include "wascc/base/encoding.h"

namespace wascc::jwt {

namespace {

Result<Json> decode_json_segment(std::string_view segment, const char* what) {
  auto raw = encoding::base64url_decode(segment);
  if (!raw) return input_error(std::string("JWT ") + what + " is not base64url: " + raw.error().message);
  // Duplicate keys are refused: with two "exp" claims, which one counts would depend on the reader.
  auto parsed = json::parse(as_text(*raw), {.max_depth = json::kDefaultMaxDepth, .reject_duplicate_keys = true});
  if (!parsed) return input_error(std::string("JWT ") + what + " is not valid JSON: " + parsed.error().message);
  if (!parsed->is_object()) return input_error(std::string("JWT ") + what + " is not a JSON object");
  return std::move(parsed.value());
}

}  // namespace

Result<Token> decode(std::string_view text) {
  size_t first = text.find('.');
  size_t second = first == std::string_view::npos ? first : text.find('.', first + 1);
  size_t segments = 1;
  for (char c : text) segments += c == '.';
  if (segments != 3) {
    return input_error("invalid token format, expected 3 segments, found " + std::to_string(segments));
  }
  Token token;
  token.text = std::string(text);
  std::string_view own(token.text);
  token.signing_input_length = second;

  auto header = decode_json_segment(own.substr(0, first), "header");
  if (!header) return header.error();
  token.header = std::move(header.value());
  if (!token.header.contains("alg") || token.header["alg"] != "Ed25519") {
    return input_error("invalid JWT algorithm: wascap only supports Ed25519");
  }
  if (!token.header.contains("typ") || token.header["typ"] != "jwt") {
    return input_error("invalid JWT header: typ must be \"jwt\"");
  }
  auto payload = decode_json_segment(own.substr(first + 1, second - first - 1), "payload");
  if (!payload) return payload.error();
  token.payload = std::move(payload.value());

  auto signature = encoding::base64url_decode(own.substr(second + 1));
  if (!signature) return input_error("JWT signature is not base64url: " + signature.error().message);
  if (signature->size() != nkeys::kSignatureBytes) {
    return input_error("JWT signature must be 64 bytes, got " + std::to_string(signature->size()));
  }
  token.signature = std::move(signature.value());
  return token;
}

std::string sign(std::string_view payload_json, const nkeys::KeyPair& signer) {
  std::string signing_input = encoding::base64url_encode(as_bytes(kHeaderJson));
  signing_input += '.';
  signing_input += encoding::base64url_encode(as_bytes(payload_json));
  auto signature = signer.sign(as_bytes(signing_input));
  return signing_input + "." + encoding::base64url_encode(signature);
}

bool verify_signature(const Token& token, const nkeys::PublicKey& key) {
  return nkeys::verify_signature(key, as_bytes(token.signing_input()), token.signature);
}

}  // namespace wascc::jwt
