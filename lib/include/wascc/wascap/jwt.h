// Compact JWS tokens as wascap uses them: header {"typ":"jwt","alg":"Ed25519"}, a JSON
// payload, and a pure Ed25519 signature by an nkey, each segment base64url without padding.
#pragma once

#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/json.h"
#include "wascc/wascap/nkeys.h"
#include "wascc/base/result.h"

namespace wascc::jwt {

using Json = wascc::Json;

inline constexpr std::string_view kHeaderJson = R"({"typ":"jwt","alg":"Ed25519"})";

struct Token {
  std::string text;
  size_t signing_input_length = 0;
  Json header;
  Json payload;
  Bytes signature;

  // "header.payload" exactly as it stands in the text: the bytes that were signed.
  std::string_view signing_input() const { return std::string_view(text).substr(0, signing_input_length); }
};

// Splits and decodes a compact token; checks the segment count, base64url, that header and
// payload are JSON objects, the header's alg and typ, and the signature's length. Does not
// check the signature (see verify_signature).
Result<Token> decode(std::string_view text);

// Signs `payload_json` (already serialised: wascap's field order matters) with `signer`.
std::string sign(std::string_view payload_json, const nkeys::KeyPair& signer);

// True only when the token's signature verifies with `key`.
[[nodiscard]] bool verify_signature(const Token& token, const nkeys::PublicKey& key);

}  // namespace wascc::jwt
