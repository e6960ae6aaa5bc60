// NATS nkeys: Ed25519 keys encoded as base32 text with a type prefix and a CRC-16, the
// identities of wascap (issuers are Account keys "A...", modules Module keys "M...").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::nkeys {

enum class KeyType : uint8_t { Account, Cluster, Operator, Server, User, Module, Service, Curve };

inline constexpr size_t kPublicKeyTextLength = 56;
inline constexpr size_t kSeedTextLength = 58;
inline constexpr size_t kSignatureBytes = 64;

uint8_t prefix_byte(KeyType type);
char type_letter(KeyType type);
std::string_view type_name(KeyType type);  // "account", "module", ...
// Accepts the names wash accepts, case-insensitively: account, user, module|component,
// service|provider, server|host, operator, cluster, curve|x25519|xkey.
std::optional<KeyType> key_type_from_name(std::string_view name);

struct PublicKey {
  KeyType type = KeyType::Account;
  std::array<uint8_t, 32> key{};

  std::string encoded() const;
};

// Checks length, base32, checksum, then prefix (the order of the reference implementations).
Result<PublicKey> decode_public_key(std::string_view text);

// An Ed25519 key pair with its nkey type. The secret material is wiped on destruction.
class KeyPair {
 public:
  static KeyPair generate(KeyType type);
  static Result<KeyPair> from_seed(std::string_view seed_text);
  static KeyPair from_raw_seed(KeyType type, const std::array<uint8_t, 32>& raw_seed);

  KeyPair(const KeyPair& other);
  KeyPair& operator=(const KeyPair& other);
  ~KeyPair();

  KeyType type() const { return type_; }
  PublicKey public_key() const;
  std::string public_key_text() const { return public_key().encoded(); }
  std::string seed_text() const;         // "S" + type letter + ...: a secret
  std::string private_key_text() const;  // "P...": seed and public key, also a secret

  std::array<uint8_t, kSignatureBytes> sign(ByteView message) const;

 private:
  KeyPair() = default;
  KeyType type_ = KeyType::Account;
  std::array<uint8_t, 32> seed_{};
  std::array<uint8_t, 32> public_{};
  std::array<uint8_t, 64> secret_{};  // libsodium's expanded secret key (seed || public)
};

// True only when `signature` is a valid Ed25519 signature of `message` by `key`.
[[nodiscard]] bool verify_signature(const PublicKey& key, ByteView message, ByteView signature);

// Makes sure libsodium is initialised (idempotent, thread-safe).
void ensure_crypto_ready();

}  // namespace wascc::nkeys
