// Text encodings used by JWTs and nkeys: base64url without padding (RFC 4648 §5),
// base32 without padding (RFC 4648 §6, upper case), hex, and the CRC-16 nkeys appends.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::encoding {

std::string base64url_encode(ByteView data);
// Strict: rejects '=' padding, characters outside the alphabet, a length of 1 mod 4 and
// non-zero trailing bits (as Rust's no-pad decoder used by wascap does).
Result<Bytes> base64url_decode(std::string_view text);

// Standard base64 (RFC 4648 §4, '+' '/', padded), as Python's base64 and `base64` write it.
std::string base64_encode(ByteView data);
// Standard base64, padding optional (strict otherwise).
Result<Bytes> base64_decode(std::string_view text);

std::string base32_encode(ByteView data);
// Strict in the same way: upper-case alphabet A-Z 2-7 only, no padding, zero trailing bits.
Result<Bytes> base32_decode(std::string_view text);

std::string hex_upper(ByteView data);

// CRC-16/XMODEM: polynomial 0x1021, init 0, no reflection, no final xor ("123456789" -> 0x31C3).
uint16_t crc16_xmodem(ByteView data);

}  // namespace wascc::encoding
