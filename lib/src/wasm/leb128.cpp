#include "wascc/wasm/leb128.h"

namespace wascc::leb128 {

Result<Decoded> read_u32(ByteView bytes, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 5; ++i) {
    if (offset + i >= bytes.size()) return input_error("unexpected end of file in LEB128", offset);
    uint8_t byte = bytes[offset + i];
    if (i == 4 && (byte & 0xF0) != 0) {
      return input_error("LEB128 value does not fit in 32 bits", offset);
    }
    value |= static_cast<uint32_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) return Decoded{value, i + 1};
  }
  return input_error("LEB128 value does not fit in 32 bits", offset);
}

void append_u32(Bytes& out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7F;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

size_t encoded_size_u32(uint32_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

}  // namespace wascc::leb128
