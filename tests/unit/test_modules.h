// Small hand-assembled binaries for the unit tests.
#pragma once

#include "wascc/base/bytes_io.h"

namespace wascc::test {

// (module (func (export "f"))) plus a "name"-like custom section "meta" with 3 bytes.
inline Bytes small_module() {
  return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,         // preamble
          0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                     // type: () -> ()
          0x03, 0x02, 0x01, 0x00,                                 // function: type 0
          0x07, 0x05, 0x01, 0x01, 'f',  0x00, 0x00,               // export "f" func 0
          0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,                     // code: empty body
          0x00, 0x08, 0x04, 'm',  'e',  't',  'a',  1,    2, 3};  // custom "meta"
}

// The same module with the type section's size written as a 5-byte LEB (as walrus wrote),
// so its canonical strip differs from the raw bytes.
inline Bytes padded_module() {
  return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x84, 0x80, 0x80, 0x80, 0x00, 0x01, 0x60, 0x00, 0x00,
          0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 'f',  0x00, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
}

// A component (layer 1) holding small_module() as a nested core module.
inline Bytes small_component() {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x01};
  Bytes inner = small_module();
  out.push_back(static_cast<uint8_t>(inner.size()));
  for (uint8_t byte : inner) out.push_back(byte);  // (insert() trips a g++ 12 -Warray-bounds false positive)
  return out;
}

}  // namespace wascc::test
