// What a host must know of an OPA policy module before running it, read from the binary: the
// ABI version globals (opa_wasm_abi_version, opa_wasm_abi_minor_version: exported immutable
// i32 globals), and the memory it imports (env.memory). The engines instantiate modules that
// define their memory, so `with_own_memory` turns the import into a defined memory of the
// same limits, exported as "memory" (OPA re-exports it already; the export is added if not).
#pragma once

#include <optional>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::opa_module {

struct Facts {
  std::optional<int32_t> abi_major;
  std::optional<int32_t> abi_minor;
  bool imports_memory = false;
  uint32_t memory_min_pages = 0;
};

Result<Facts> read_facts(ByteView wasm);

// The module with env.memory defined instead of imported (unchanged when it imports none).
Result<Bytes> with_own_memory(ByteView wasm);

}  // namespace wascc::opa_module
