// Private to lib/: the part of the interpreter backend that touches wabt::interp. Debian's
// WABT 1.0.32 interpreter headers are C++17 and do not compile as C++20 with g++ 12
// (template-id destructors in interp-inl.h), so this interface uses only C++17 types and its
// .cpp is built with -std=c++17.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <wabt/feature.h>

namespace wascc::interp_core {

// In engine::ValueType's order. A V128 takes two 64-bit slots in argument and result arrays.
enum class Type : uint8_t { I32, I64, F32, F64, V128, Other };

struct FunctionType {
  std::vector<Type> params;
  std::vector<Type> results;
};

struct Import {
  std::string module;
  std::string name;
  bool is_function = false;
  FunctionType type;
};

enum class ExportKind { Function, Memory, Other };

struct Export {
  std::string name;
  ExportKind kind = ExportKind::Other;
  FunctionType type;
};

// A host function: reads args, writes results (in slots: see Type); returns false with *trap_message set to trap.
using HostFunction = std::function<bool(const uint64_t* args, uint64_t* results, std::string* trap_message)>;

class Module {
 public:
  // Reads a binary (stopping at the first error: the reader corrupts the heap otherwise).
  static std::shared_ptr<Module> load(const uint8_t* data, size_t size, const std::string& filename,
                                      const wabt::Features& features, std::string* error);
  virtual ~Module() = default;
  virtual const std::vector<Import>& imports() const = 0;
  virtual const std::vector<Export>& exports() const = 0;
};

// The most the interpreter's value stack can hold when every frame has `locals` locals: it
// keeps all frames' locals on one stack, up to its fixed number of frames.
uint64_t worst_case_stack_bytes(uint64_t locals);

class Instance {
 public:
  // `host_functions` line up with module.imports() (all of them functions). Links and
  // initializes the instance but does not run the start function: host functions called by
  // the start function need the instance (its memory) to exist, so the caller keeps the
  // returned pointer first and then calls run_start(). nullptr with *trap_message on failure.
  static std::unique_ptr<Instance> instantiate(const Module& module, std::vector<HostFunction> host_functions,
                                               std::string* trap_message);
  virtual ~Instance() = default;
  // Runs the module's start function, if any, on this instance's thread (false on a trap).
  virtual bool run_start(std::string* trap_message) = 0;
  virtual bool call(const std::string& export_name, const std::vector<uint64_t>& args, std::vector<uint64_t>* results,
                    std::string* trap_message) = 0;
  // Memory 0 (whether exported or not), and the export named `name`.
  virtual bool has_memory() const = 0;
  virtual uint8_t* memory_data() = 0;
  virtual uint64_t memory_size() const = 0;
  virtual uint64_t memory_pages() const = 0;
  virtual bool memory_grow(uint64_t delta) = 0;
};

}  // namespace wascc::interp_core
