#include "wascc/base/encoding.h"

#include <sodium.h>

#include <array>

namespace wascc::encoding {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

constexpr std::array<int8_t, 256> reverse_table(std::string_view alphabet) {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = -1;
  for (size_t i = 0; i < alphabet.size(); ++i) {
    table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  }
  return table;
}

constexpr auto kBase32Reverse = reverse_table(kBase32Alphabet);

// Base32 packs 5-bit symbols MSB first (libsodium, which does base64, has no base32).
std::string encode_bits(ByteView data, std::string_view alphabet, unsigned bits_per_symbol) {
  std::string out;
  out.reserve((data.size() * 8 + bits_per_symbol - 1) / bits_per_symbol);
  uint32_t buffer = 0;
  unsigned buffered = 0;
  const uint32_t mask = (1u << bits_per_symbol) - 1;
  for (uint8_t byte : data) {
    buffer = (buffer << 8) | byte;
    buffered += 8;
    while (buffered >= bits_per_symbol) {
      buffered -= bits_per_symbol;
      out.push_back(alphabet[(buffer >> buffered) & mask]);
    }
  }
  if (buffered > 0) out.push_back(alphabet[(buffer << (bits_per_symbol - buffered)) & mask]);
  return out;
}

Result<Bytes> decode_bits(std::string_view text, const std::array<int8_t, 256>& reverse, unsigned bits_per_symbol,
                          const char* name) {
  Bytes out;
  out.reserve(text.size() * bits_per_symbol / 8);
  uint32_t buffer = 0;
  unsigned buffered = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int8_t value = reverse[static_cast<uint8_t>(text[i])];
    if (value < 0) {
      return input_error(std::string("invalid ") + name + " character at position " + std::to_string(i));
    }
    buffer = (buffer << bits_per_symbol) | static_cast<uint32_t>(value);
    buffered += bits_per_symbol;
    if (buffered >= 8) {
      buffered -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> buffered));
    }
    buffer &= (1u << buffered) - 1;
  }
  // Leftover bits must be fewer than a byte's worth and all zero, or the text is not the
  // canonical encoding of any byte string.
  if (buffered >= bits_per_symbol) return input_error(std::string("invalid ") + name + " length");
  if (buffer != 0) return input_error(std::string("non-canonical trailing bits in ") + name);
  return out;
}

// Base64 by libsodium (already linked for Ed25519): its decoder is strict (no stray
// characters, zero trailing bits); the error names the first bad character as ours did.
std::string sodium_base64(ByteView data, int variant) {
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data.data(), data.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<Bytes> sodium_unbase64(std::string_view text, int variant, const char* name) {
  Bytes out(text.size() * 3 / 4 + 1);
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end, variant) == 0 &&
      end == text.data() + text.size()) {
    out.resize(length);
    return out;
  }
  if (end != nullptr && end != text.data() + text.size()) {
    return input_error(std::string("invalid ") + name + " character at position " + std::to_string(end - text.data()));
  }
  if (text.size() % 4 == 1) return input_error(std::string("invalid ") + name + " length");
  return input_error(std::string("non-canonical trailing bits in ") + name);
}

}  // namespace

std::string base64url_encode(ByteView data) { return sodium_base64(data, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }

Result<Bytes> base64url_decode(std::string_view text) {
  return sodium_unbase64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING, "base64url");
}

std::string base64_encode(ByteView data) { return sodium_base64(data, sodium_base64_VARIANT_ORIGINAL); }

Result<Bytes> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return sodium_unbase64(text, sodium_base64_VARIANT_ORIGINAL_NO_PADDING, "base64");
}

std::string base32_encode(ByteView data) { return encode_bits(data, kBase32Alphabet, 5); }

Result<Bytes> base32_decode(std::string_view text) { return decode_bits(text, kBase32Reverse, 5, "base32"); }

std::string hex_upper(ByteView data) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t byte : data) {
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 15]);
  }
  return out;
}

uint16_t crc16_xmodem(ByteView data) {
  uint16_t crc = 0;
  for (uint8_t byte : data) {
    crc ^= static_cast<uint16_t>(byte << 8);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021) : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

}  // namespace wascc::encoding
