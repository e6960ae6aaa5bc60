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
    case 0xc0: case 0xc2: case 0xc3: return {};
    case 0xc4: return {1, 0, 0, Kind::Sized, 0};
    case 0xc5: return {2, 0, 0, Kind::Sized, 0};
    case 0xc6: return {4, 0, 0, Kind::Sized, 0};
    case 0xc7: return {1, 0, 1, Kind::Sized, 0};
    case 0xc8: return {2, 0, 1, Kind::Sized, 0};
    case 0xc9: return {4, 0, 1, Kind::Sized, 0};
    case 0xca: return {0, 4, 0, Kind::Scalar, 0};
    case 0xcb: return {0, 8, 0, Kind::Scalar, 0};
    case 0xcc: case 0xd0: return {0, 1, 0, Kind::Scalar, 0};
    case 0xcd: case 0xd1: return {0, 2, 0, Kind::Scalar, 0};
    case 0xce: case 0xd2: return {0, 4, 0, Kind::Scalar, 0};
    case 0xcf: case 0xd3: return {0, 8, 0, Kind::Scalar, 0};
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

}  // namespace wascc::msgpack
