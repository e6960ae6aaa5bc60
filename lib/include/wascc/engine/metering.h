// Limits that work on every engine, by rewriting the module before any engine sees it
// (WABT's 1.0.32 interpreter offers no way to interrupt a call, and native code has none):
//
// - fuel: a mutable i64 global, decremented at every function entry and loop header by the
//   static size of the code that starts there; when it drops below zero the guest calls the
//   import wascc_limits.fuel() -> i64, where the host checks the call's fuel budget and its
//   deadline and either returns the next slice or traps. Every unbounded execution passes a
//   function entry or a loop header, so a runaway guest is always stopped.
// - memory: memory.grow on memory 0 becomes a call of wascc_limits.memory_grow(i32) -> i32,
//   where the host enforces its page cap (a typed error, not just -1).
//
// Function indices shift by the two new imports; every reference is renumbered.
#pragma once

#include <cstdint>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::metering {

inline constexpr std::string_view kImportModule = "wascc_limits";
inline constexpr std::string_view kFuelImport = "fuel";               // () -> i64
inline constexpr std::string_view kMemoryGrowImport = "memory_grow";  // (i32) -> i32
// Fuel handed to the guest per refill: the deadline is checked at least this often.
inline constexpr int64_t kFuelSlice = 10'000;

// The instrumented module. The input is validated (the error names what WABT rejects); the
// output is not: the interpreter's reader validates what it loads, and the AOT compiler, whose
// C writer does not, validates it itself.
Result<Bytes> instrument(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features);

}  // namespace wascc::metering
