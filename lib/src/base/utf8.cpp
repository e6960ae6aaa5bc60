#include "wascc/base/utf8.h"

namespace wascc::utf8 {
namespace {

// The length of the well-formed sequence at `i`, or 0 when the bytes there are not one.
size_t sequence_length(ByteView bytes, size_t i) {
  static constexpr uint32_t kMinimumForLength[] = {0, 0x80, 0x800, 0x10000};
  const uint8_t lead = bytes[i];
  size_t extra = 0;
  uint32_t point = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    point = lead & 0x07;
  } else {
    return 0;
  }
  if (extra >= bytes.size() - i) return 0;
  for (size_t k = 1; k <= extra; ++k) {
    if ((bytes[i + k] & 0xC0) != 0x80) return 0;
    point = (point << 6) | (bytes[i + k] & 0x3F);
  }
  if (point < kMinimumForLength[extra] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return 0;
  return extra + 1;
}

}  // namespace

bool is_valid(ByteView bytes) {
  for (size_t i = 0; i < bytes.size();) {
    const size_t length = sequence_length(bytes, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::string sanitized(std::string_view text) {
  const ByteView bytes = as_bytes(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < bytes.size();) {
    const size_t length = sequence_length(bytes, i);
    if (length == 0) {
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace wascc::utf8
