// Unsigned LEB128, as the wasm binary format uses it for sizes and counts.
#pragma once

#include <cstdint>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::leb128 {

struct Decoded {
  uint32_t value;
  size_t length;  // bytes consumed
};

// Decodes a u32 at `offset`: at most 5 bytes, and the unused high bits of the fifth must be
// zero. Errors carry the offset of the first byte.
Result<Decoded> read_u32(ByteView bytes, size_t offset);

// Minimal encoding (what every modern signer writes).
void append_u32(Bytes& out, uint32_t value);
size_t encoded_size_u32(uint32_t value);

}  // namespace wascc::leb128
