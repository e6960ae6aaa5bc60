// What a module asks for before it runs a single instruction: its initial memory, its
// tables, the locals of its largest function. Read from the binary without decoding code, so
// that every engine can refuse a module whose declarations alone exceed the host's limits
// (`(memory 32768)` is 2 GiB committed at instantiation, before any memory.grow is metered).
#pragma once

#include <cstdint>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::declared_sizes {

// The JS API's implementation limit, which every browser engine enforces: a function with
// more locals is not a real program, and on the interpreter each frame would hold them all.
inline constexpr uint64_t kMaxLocalsPerFunction = 50'000;

struct DeclaredSizes {
  uint64_t initial_memory_pages = 0;       // the largest initial size of a defined memory
  uint64_t initial_table_elements = 0;     // the largest initial size of a defined table
  uint64_t most_locals = 0;                // declared locals of the function with the most
  uint32_t function_with_most_locals = 0;  // its index among the defined functions
};

// Reads the memory, table and code sections. Errors name the byte offset of what is malformed.
Result<DeclaredSizes> read(ByteView wasm);

}  // namespace wascc::declared_sizes
