// Private to lib/: the C shim compiled into every AOT artifact beside WABT's generated code.
// It defines the module's imports as calls into the host (a dispatch function pointer;
// a refusal traps from C, never across C++ frames), and the entry points the engine looks up
// with dlsym: wascc_aot_new, wascc_aot_call, wascc_aot_memory, wascc_aot_free,
// wascc_aot_describe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "wascc/base/result.h"

namespace wascc::aot_shim {

// Entry point names and the dispatch signature shared with aot_engine.cpp.
inline constexpr const char* kAbiVersion = "wascc-aot-14";  // bump whenever the shim or the generated C changes
using Dispatch = int (*)(void* host, uint32_t import_index, const uint64_t* args, uint64_t* results);

// The module's imports (module, name; duplicates removed and sorted, as the C writer declares
// them) and exports (names, every kind, in module order): names come from here, not from the header's
// comments, which cannot carry every name (the spec suite has names with newlines).
struct ModuleNames {
  std::vector<std::pair<std::string, std::string>> imports;
  std::vector<std::string> exports;
};

// From the header WABT's C writer produced for module `prefix` ("Z_<prefix>_..."), the shim's
// C source, which includes "module.h" and "aot_runtime.h".
Result<std::string> generate(const std::string& header, const std::string& prefix, const ModuleNames& names);

}  // namespace wascc::aot_shim
