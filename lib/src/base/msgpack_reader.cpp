#include "wascc/base/msgpack_reader.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace wascc::msgpack {
namespace {

uint64_t big_endian(ByteView bytes, size_t at, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value = (value << 8) | bytes[at + i];
  return value;
}

// What one header byte says: how many bytes follow it in the header (a length field), how
// many payload bytes come after that (fixed, or read from the length field), and how many
// child values a container holds (per entry of its declared count).
struct Header {
  size_t length_field = 0;  // bytes of a big-endian length/count after the type byte
  size_t fixed = 0;         // payload bytes known from the type byte alone
  size_t extra = 0;         // bytes after the length field that precede the payload (ext type)
  enum class Kind { Scalar, Sized, Array, Map, Invalid } kind = Kind::Scalar;
  uint64_t inline_count = 0;  // fixmap/fixarray/fixstr counts
};

Header header_of(uint8_t type) {
  using Kind = Header::Kind;
  if (type <= 0x7f || type >= 0xe0) return {};
  if (type <= 0x8f) return {0, 0, 0, Kind::Map, uint64_t(type & 0x0f)};
  if (type <= 0x9f) return {0, 0, 0, Kind::Array, uint64_t(type & 0x0f)};
  if (type <= 0xbf) return {0, size_t(type & 0x1f), 0, Kind::Scalar, 0};
  switch (type) {
    case 0xc0:
    case 0xc2:
    case 0xc3: return {};
    case 0xc4: return {1, 0, 0, Kind::Sized, 0};
    case 0xc5: return {2, 0, 0, Kind::Sized, 0};
    case 0xc6: return {4, 0, 0, Kind::Sized, 0};
    case 0xc7: return {1, 0, 1, Kind::Sized, 0};
    case 0xc8: return {2, 0, 1, Kind::Sized, 0};
    case 0xc9: return {4, 0, 1, Kind::Sized, 0};
    case 0xca: return {0, 4, 0, Kind::Scalar, 0};
    case 0xcb: return {0, 8, 0, Kind::Scalar, 0};
    case 0xcc:
    case 0xd0: return {0, 1, 0, Kind::Scalar, 0};
    case 0xcd:
    case 0xd1: return {0, 2, 0, Kind::Scalar, 0};
    case 0xce:
    case 0xd2: return {0, 4, 0, Kind::Scalar, 0};
    case 0xcf:
    case 0xd3: return {0, 8, 0, Kind::Scalar, 0};
    case 0xd4: return {0, 2, 0, Kind::Scalar, 0};
    case 0xd5: return {0, 3, 0, Kind::Scalar, 0};
    case 0xd6: return {0, 5, 0, Kind::Scalar, 0};
    case 0xd7: return {0, 9, 0, Kind::Scalar, 0};
    case 0xd8: return {0, 17, 0, Kind::Scalar, 0};
    case 0xd9: return {1, 0, 0, Kind::Sized, 0};
    case 0xda: return {2, 0, 0, Kind::Sized, 0};
    case 0xdb: return {4, 0, 0, Kind::Sized, 0};
    case 0xdc: return {2, 0, 0, Kind::Array, 0};
    case 0xdd: return {4, 0, 0, Kind::Array, 0};
    case 0xde: return {2, 0, 0, Kind::Map, 0};
    case 0xdf: return {4, 0, 0, Kind::Map, 0};
    default: return {0, 0, 0, Kind::Invalid, 0};  // 0xc1, never used
  }
}

}  // namespace

Result<size_t> value_extent(ByteView bytes, size_t max_depth) {
  using Kind = Header::Kind;
  // Values still to read in each open container, innermost last. The whole input is one value.
  std::vector<uint64_t> pending{1};
  size_t at = 0;
  auto truncated = [&] { return input_error("truncated msgpack value at byte " + std::to_string(at)); };
  while (!pending.empty()) {
    if (pending.back() == 0) {
      pending.pop_back();
      continue;
    }
    --pending.back();
    if (at >= bytes.size()) return truncated();
    const size_t start = at;
    const Header header = header_of(bytes[at++]);
    if (header.kind == Kind::Invalid) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", bytes[start]);
      return input_error(std::string("invalid msgpack byte ") + hex + " at byte " + std::to_string(start));
    }
    if (bytes.size() - at < header.length_field) return truncated();
    uint64_t length = header.length_field ? big_endian(bytes, at, header.length_field) : header.inline_count;
    at += header.length_field;
    if (header.kind == Kind::Array || header.kind == Kind::Map) {
      const uint64_t children = header.kind == Kind::Map ? length * 2 : length;
      if (children == 0) continue;
      if (pending.size() > max_depth) {
        return input_error("msgpack nested deeper than " + std::to_string(max_depth) + " levels");
      }
      pending.push_back(children);
      continue;
    }
    const uint64_t payload = header.kind == Kind::Sized ? header.extra + length : header.fixed;
    if (bytes.size() - at < payload) return truncated();
    at += static_cast<size_t>(payload);
  }
  return at;
}

std::optional<uint32_t> Cursor::map_header() {
  if (at_ >= bytes_.size()) return std::nullopt;
  const uint8_t type = bytes_[at_];
  size_t width = 0;
  if (type >= 0x80 && type <= 0x8f) {
    ++at_;
    return type & 0x0f;
  }
  if (type == 0xde)
    width = 2;
  else if (type == 0xdf)
    width = 4;
  else
    return std::nullopt;
  if (at_ + 1 + width > bytes_.size()) return std::nullopt;
  const auto count = static_cast<uint32_t>(big_endian(bytes_, at_ + 1, width));
  at_ += 1 + width;
  return count;
}

// A str (fixstr 0xa0-0xbf, str8/16/32 0xd9-0xdb) or a bin (bin8/16/32 0xc4-0xc6): the type
// byte names the width of its length field.
std::optional<ByteView> Cursor::sized(uint8_t first_fix, uint8_t last_fix, uint8_t width8) {
  if (at_ >= bytes_.size()) return std::nullopt;
  const uint8_t type = bytes_[at_];
  size_t header = 1, length = 0;
  if (type >= first_fix && type <= last_fix && first_fix != last_fix) {
    length = type & 0x1f;
  } else if (type >= width8 && type <= width8 + 2) {
    const size_t width = size_t{1} << (type - width8);
    if (at_ + 1 + width > bytes_.size()) return std::nullopt;
    length = big_endian(bytes_, at_ + 1, width);
    header += width;
  } else {
    return std::nullopt;
  }
  if (length > bytes_.size() - at_ - header) return std::nullopt;
  ByteView out = bytes_.subspan(at_ + header, length);
  at_ += header + length;
  return out;
}

std::optional<std::string_view> Cursor::text() {
  auto bytes = sized(0xa0, 0xbf, 0xd9);
  if (!bytes) return std::nullopt;
  return std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size());
}

std::optional<ByteView> Cursor::binary_or_text() {
  if (auto binary = sized(0, 0, 0xc4)) return binary;
  return sized(0xa0, 0xbf, 0xd9);
}

std::optional<uint64_t> Cursor::unsigned_integer() {
  if (at_ >= bytes_.size()) return std::nullopt;
  const uint8_t type = bytes_[at_];
  if (type <= 0x7f) {
    ++at_;
    return type;
  }
  const bool is_unsigned = type >= 0xcc && type <= 0xcf;
  const bool is_signed = type >= 0xd0 && type <= 0xd3;
  if (!is_unsigned && !is_signed) return std::nullopt;
  const size_t width = size_t{1} << (type - (is_unsigned ? 0xcc : 0xd0));
  if (at_ + 1 + width > bytes_.size()) return std::nullopt;
  const uint64_t value = big_endian(bytes_, at_ + 1, width);
  if (is_signed && (value >> (width * 8 - 1)) != 0) return std::nullopt;  // negative
  at_ += 1 + width;
  return value;
}

bool Cursor::skip() {
  auto extent = value_extent(bytes_.subspan(at_));
  if (!extent) return false;
  at_ += *extent;
  return true;
}

}  // namespace wascc::msgpack
