// The engine interface: load (validate and prepare) a module, instantiate it with host
// functions, call its exports, and reach its exported memory through bounds-checked reads
// and writes. The waPC host and everything above it are written against this interface;
// backends (the WABT interpreter, native code through wasm2c) implement it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/wasm/declared_sizes.h"
#include "wascc/engine/limits.h"
#include "wascc/base/result.h"

namespace wascc::engine {

// V128 (SIMD) runs on the interpreter only: the aot engine refuses SIMD modules.
enum class ValueType : uint8_t { I32, I64, F32, F64, V128 };

// Arguments and results travel as 64-bit slots: one per value, two for a v128 (its low 64
// bits first, so lane 0 is the low end of the first slot). This counts the slots of `types`.
size_t slot_count(std::span<const ValueType> types);

struct Signature {
  std::vector<ValueType> params;
  std::vector<ValueType> results;
  bool operator==(const Signature&) const = default;
};
std::string to_string(const Signature& signature);

// Why a call ended early. Guest: the wasm itself trapped (unreachable, out-of-bounds access,
// division by zero, stack exhausted); Host: a host function refused the call (a wild
// pointer); Limit: a per-call limit (see `limit`); Exit: WASI proc_exit.
enum class TrapKind { Guest, Host, Limit, Exit };

struct Trap {
  TrapKind kind = TrapKind::Guest;
  std::string message;
  std::optional<limits::LimitKind> limit;
  int exit_code = 0;
};

// The guest's exported memory. Every access is checked against the memory's current size
// (it may have grown during the call); pointers and lengths are unsigned 32-bit.
class GuestMemory {
 public:
  virtual ~GuestMemory() = default;
  virtual uint8_t* data() = 0;
  virtual uint64_t size() const = 0;

  // Errors name the access: "reading 16 bytes at 0xfffffff0 overruns memory of 65536 bytes".
  Result<ByteView> read(uint32_t pointer, uint32_t length, std::string_view what);
  Status write(uint32_t pointer, ByteView bytes, std::string_view what);
};

// What a host function sees: the calling instance's memory.
struct HostContext {
  GuestMemory* memory = nullptr;  // nullptr while the module has no exported memory
  // The running call's deadline: a host function that waits (WASI poll_oneoff) stops there.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Arguments and results are raw bits in slots (i32 zero-extended; see slot_count). Returning
// a Trap ends the call.
using HostCallback = std::function<std::optional<Trap>(HostContext& context, std::span<const uint64_t> args,
                                                       std::span<uint64_t> results)>;

struct HostFunction {
  std::string module;
  std::string name;
  Signature signature;
  HostCallback callback;
};

struct FunctionImport {
  std::string module;
  std::string name;
  Signature signature;
};

// The host function that satisfies an import, or the link error every engine reports:
// "unknown import M.N", or "import M.N has signature ..., the host provides ...".
Result<const HostFunction*, Trap> find_host_function(const std::vector<HostFunction>& host_functions,
                                                     const std::string& module, const std::string& name,
                                                     const std::optional<Signature>& signature);

// What every engine checks of a module's declarations (declared_sizes.h): at load, what no
// limit makes runnable (more locals in a function than the JS API allows); at instantiation,
// initial memory and tables over `limits`, refused before anything is allocated.
Status check_loadable(const declared_sizes::DeclaredSizes& sizes, const std::string& filename);
// Reads the declarations of `wasm` and checks them with check_loadable.
Result<declared_sizes::DeclaredSizes> read_loadable_sizes(ByteView wasm, const std::string& filename);
std::optional<Trap> check_declared_sizes(const declared_sizes::DeclaredSizes& sizes, const limits::Limits& limits);

struct CallOutcome {
  std::optional<Trap> trap;
  std::vector<uint64_t> results;
};

class Instance {
 public:
  virtual ~Instance() = default;
  virtual bool has_function(std::string_view export_name) const = 0;
  virtual GuestMemory* memory() = 0;  // the export named "memory", or nullptr
  // Calls an exported function under `limits` (fuel and deadline start afresh).
  virtual CallOutcome call(std::string_view export_name, std::span<const uint64_t> args,
                           const limits::Limits& limits) = 0;
};

class LoadedModule {
 public:
  virtual ~LoadedModule() = default;
  virtual const std::vector<FunctionImport>& function_imports() const = 0;
  virtual bool exports_function(std::string_view name) const = 0;
  virtual bool exports_memory(std::string_view name) const = 0;
  // The signature of an exported function, for linking one module's exports to another's imports.
  virtual std::optional<Signature> export_signature(std::string_view name) const = 0;
  // Links `host_functions` to the module's imports (every function import must be provided,
  // with the exact signature) and runs the start function under `limits`.
  virtual Result<std::unique_ptr<Instance>, Trap> instantiate(const std::vector<HostFunction>& host_functions,
                                                              const limits::Limits& limits) = 0;
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  // Validates the module and prepares it (limits instrumentation included).
  virtual Result<std::shared_ptr<LoadedModule>> load(ByteView wasm, const std::string& filename) = 0;
};

}  // namespace wascc::engine
