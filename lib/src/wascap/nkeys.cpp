#include "wascc/wascap/nkeys.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "wascc/base/encoding.h"

namespace wascc::nkeys {
namespace {

constexpr uint8_t kSeedPrefixByte = 18 << 3;        // 'S'
constexpr uint8_t kPrivateKeyPrefixByte = 15 << 3;  // 'P'

struct TypeInfo {
  KeyType type;
  uint8_t prefix;
  char letter;
  std::string_view name;
};

constexpr TypeInfo kTypes[] = {
    {KeyType::Account, 0, 'A', "account"},         {KeyType::Cluster, 2 << 3, 'C', "cluster"},
    {KeyType::Operator, 14 << 3, 'O', "operator"}, {KeyType::Server, 13 << 3, 'N', "server"},
    {KeyType::User, 20 << 3, 'U', "user"},         {KeyType::Module, 12 << 3, 'M', "module"},
    {KeyType::Service, 21 << 3, 'V', "service"},   {KeyType::Curve, 23 << 3, 'X', "curve"},
};

const TypeInfo& info(KeyType type) {
  for (const auto& entry : kTypes) {
    if (entry.type == type) return entry;
  }
  std::abort();  // unreachable: every KeyType has a row above (a programming error, not input)
}

std::optional<KeyType> type_from_prefix(uint8_t prefix) {
  for (const auto& entry : kTypes) {
    if (entry.prefix == prefix) return entry.type;
  }
  return std::nullopt;
}

// Appends the CRC-16 (little-endian) and base32-encodes.
std::string encode_with_checksum(Bytes raw) {
  uint16_t crc = encoding::crc16_xmodem(raw);
  raw.push_back(static_cast<uint8_t>(crc & 0xFF));
  raw.push_back(static_cast<uint8_t>(crc >> 8));
  std::string text = encoding::base32_encode(raw);
  sodium_memzero(raw.data(), raw.size());
  return text;
}

// Decodes base32 and checks and strips the trailing CRC-16.
Result<Bytes> decode_with_checksum(std::string_view text, std::string_view what) {
  auto raw = encoding::base32_decode(text);
  if (!raw) return input_error(std::string(what) + " is not valid base32: " + raw.error().message);
  Bytes& bytes = raw.value();
  if (bytes.size() < 3) return input_error(std::string(what) + " is too short");
  auto body = ByteView(bytes).first(bytes.size() - 2);
  uint16_t stored = static_cast<uint16_t>(bytes[bytes.size() - 2] | (bytes[bytes.size() - 1] << 8));
  if (encoding::crc16_xmodem(body) != stored) {
    sodium_memzero(bytes.data(), bytes.size());
    return input_error(std::string(what) + " checksum mismatch (mistyped or truncated key?)");
  }
  bytes.resize(bytes.size() - 2);
  return raw;
}

std::string describe_length(std::string_view what, size_t expected, size_t got) {
  return std::string(what) + " must be " + std::to_string(expected) + " characters, got " + std::to_string(got);
}

}  // namespace

void ensure_crypto_ready() {
  static const bool ready = sodium_init() >= 0;
  // sodium_init fails only without a source of randomness, where libsodium's own randombytes
  // would abort anyway: nothing a caller could do, so no error to return.
  if (!ready) std::abort();
}

uint8_t prefix_byte(KeyType type) { return info(type).prefix; }
char type_letter(KeyType type) { return info(type).letter; }
std::string_view type_name(KeyType type) { return info(type).name; }

std::optional<KeyType> key_type_from_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "component") return KeyType::Module;
  if (lower == "provider") return KeyType::Service;
  if (lower == "host") return KeyType::Server;
  if (lower == "x25519" || lower == "xkey") return KeyType::Curve;
  for (const auto& entry : kTypes) {
    if (entry.name == lower) return entry.type;
  }
  return std::nullopt;
}

std::string PublicKey::encoded() const {
  Bytes raw;
  raw.push_back(prefix_byte(type));
  raw.insert(raw.end(), key.begin(), key.end());
  return encode_with_checksum(std::move(raw));
}

Result<PublicKey> decode_public_key(std::string_view text) {
  if (text.size() != kPublicKeyTextLength) {
    return input_error(describe_length("public key", kPublicKeyTextLength, text.size()));
  }
  auto raw = decode_with_checksum(text, "public key");
  if (!raw) return raw.error();
  auto type = type_from_prefix(raw->at(0));
  if (!type) {
    return input_error("public key has an unknown type prefix '" + std::string(1, text[0]) + "'");
  }
  PublicKey key;
  key.type = *type;
  std::copy(raw->begin() + 1, raw->end(), key.key.begin());
  return key;
}

KeyPair KeyPair::from_raw_seed(KeyType type, const std::array<uint8_t, 32>& raw_seed) {
  ensure_crypto_ready();
  KeyPair pair;
  pair.type_ = type;
  pair.seed_ = raw_seed;
  crypto_sign_seed_keypair(pair.public_.data(), pair.secret_.data(), pair.seed_.data());
  return pair;
}

KeyPair KeyPair::generate(KeyType type) {
  ensure_crypto_ready();
  std::array<uint8_t, 32> raw_seed{};
  randombytes_buf(raw_seed.data(), raw_seed.size());
  KeyPair pair = from_raw_seed(type, raw_seed);
  sodium_memzero(raw_seed.data(), raw_seed.size());
  return pair;
}

Result<KeyPair> KeyPair::from_seed(std::string_view seed_text) {
  if (seed_text.size() != kSeedTextLength) {
    return input_error(describe_length("seed", kSeedTextLength, seed_text.size()));
  }
  auto raw = decode_with_checksum(seed_text, "seed");
  if (!raw) return raw.error();
  Bytes& bytes = raw.value();
  auto wipe = [&] { sodium_memzero(bytes.data(), bytes.size()); };
  if ((bytes[0] & 0xF8) != kSeedPrefixByte) {
    wipe();
    return input_error("not a seed: a seed starts with 'S' (a public key was given?)");
  }
  uint8_t type_prefix = static_cast<uint8_t>(((bytes[0] & 0x07) << 5) | ((bytes[1] & 0xF8) >> 3));
  auto type = type_from_prefix(type_prefix);
  if (!type) {
    wipe();
    return input_error("seed has an unknown key type prefix '" + std::string(1, seed_text[1]) + "'");
  }
  if (*type == KeyType::Curve) {
    wipe();
    return input_error("curve (xkey) seeds hold X25519 keys, which cannot sign");
  }
  std::array<uint8_t, 32> raw_seed{};
  std::copy(bytes.begin() + 2, bytes.end(), raw_seed.begin());
  wipe();
  KeyPair pair = from_raw_seed(*type, raw_seed);
  sodium_memzero(raw_seed.data(), raw_seed.size());
  return pair;
}

KeyPair::KeyPair(const KeyPair& other) = default;
KeyPair& KeyPair::operator=(const KeyPair& other) = default;

KeyPair::~KeyPair() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_.data(), secret_.size());
}

PublicKey KeyPair::public_key() const { return PublicKey{type_, public_}; }

std::string KeyPair::seed_text() const {
  const uint8_t type_prefix = prefix_byte(type_);
  Bytes raw;
  raw.push_back(static_cast<uint8_t>(kSeedPrefixByte | (type_prefix >> 5)));
  raw.push_back(static_cast<uint8_t>((type_prefix & 31) << 3));
  raw.insert(raw.end(), seed_.begin(), seed_.end());
  return encode_with_checksum(std::move(raw));
}

std::string KeyPair::private_key_text() const {
  Bytes raw;
  raw.push_back(kPrivateKeyPrefixByte);
  raw.insert(raw.end(), secret_.begin(), secret_.end());
  return encode_with_checksum(std::move(raw));
}

std::array<uint8_t, kSignatureBytes> KeyPair::sign(ByteView message) const {
  std::array<uint8_t, kSignatureBytes> signature{};
  crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret_.data());
  return signature;
}

bool verify_signature(const PublicKey& key, ByteView message, ByteView signature) {
  ensure_crypto_ready();
  if (signature.size() != kSignatureBytes || key.type == KeyType::Curve) return false;
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), key.key.data()) == 0;
}

}  // namespace wascc::nkeys
