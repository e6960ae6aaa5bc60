#include "wascc/engine/engine.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace wascc::engine {

size_t slot_count(std::span<const ValueType> types) {
  size_t slots = 0;
  for (ValueType type : types) slots += type == ValueType::V128 ? 2 : 1;
  return slots;
}

std::string to_string(const Signature& signature) {
  static const char* const kNames[] = {"i32", "i64", "f32", "f64", "v128"};
  auto list = [](const std::vector<ValueType>& types) {
    std::string text = "(";
    for (size_t i = 0; i < types.size(); ++i) {
      text += (i ? ", " : "") + std::string(kNames[static_cast<int>(types[i])]);
    }
    return text + ")";
  };
  return list(signature.params) + " -> " + list(signature.results);
}

Status check_loadable(const declared_sizes::DeclaredSizes& sizes, const std::string& filename) {
  if (sizes.most_locals <= declared_sizes::kMaxLocalsPerFunction) return ok_status();
  return input_error(filename + ": error: function " + std::to_string(sizes.function_with_most_locals) + " declares " +
                     std::to_string(sizes.most_locals) + " locals, over the limit of " +
                     std::to_string(declared_sizes::kMaxLocalsPerFunction));
}

Result<declared_sizes::DeclaredSizes> read_loadable_sizes(ByteView wasm, const std::string& filename) {
  auto sizes = declared_sizes::read(wasm);
  if (!sizes) return sizes.error();
  if (auto loadable = check_loadable(*sizes, filename); !loadable) return loadable.error();
  return sizes;
}

std::optional<Trap> check_declared_sizes(const declared_sizes::DeclaredSizes& sizes, const limits::Limits& limits) {
  if (sizes.initial_memory_pages > limits.max_memory_pages) {
    return Trap{TrapKind::Limit,
                "the module's initial memory of " + std::to_string(sizes.initial_memory_pages) +
                    " pages is over the limit of " + std::to_string(limits.max_memory_pages) + " pages",
                limits::LimitKind::Memory, 0};
  }
  if (sizes.initial_table_elements > limits.max_table_elements) {
    return Trap{TrapKind::Limit,
                "the module's initial table of " + std::to_string(sizes.initial_table_elements) +
                    " elements is over the limit of " + std::to_string(limits.max_table_elements) + " elements",
                limits::LimitKind::Memory, 0};
  }
  return std::nullopt;
}

Result<const HostFunction*, Trap> find_host_function(const std::vector<HostFunction>& host_functions,
                                                     const std::string& module, const std::string& name,
                                                     const std::optional<Signature>& signature) {
  for (const auto& function : host_functions) {
    if (function.module != module || function.name != name) continue;
    if (!signature || !(*signature == function.signature)) {
      return Trap{TrapKind::Host,
                  "import " + module + "." + name + " has signature " +
                      (signature ? to_string(*signature) : "(unsupported types)") + ", the host provides " +
                      to_string(function.signature),
                  {},
                  0};
    }
    return &function;
  }
  return Trap{TrapKind::Host, "unknown import " + module + "." + name, {}, 0};
}

namespace {

Error out_of_bounds(const char* verb, uint32_t pointer, uint32_t length, uint64_t size, std::string_view what) {
  char text[160];
  std::snprintf(text, sizeof text, "%s %" PRIu32 " bytes at 0x%08" PRIx32 " overruns guest memory of %" PRIu64 " bytes",
                verb, length, pointer, size);
  return input_error(std::string(what) + ": " + text);
}

}  // namespace

Result<ByteView> GuestMemory::read(uint32_t pointer, uint32_t length, std::string_view what) {
  const uint64_t end = uint64_t{pointer} + length;  // 64-bit: no wrap-around
  if (end > size()) return out_of_bounds("reading", pointer, length, size(), what);
  return ByteView(data() + pointer, length);
}

Status GuestMemory::write(uint32_t pointer, ByteView bytes, std::string_view what) {
  const uint64_t end = uint64_t{pointer} + bytes.size();
  if (bytes.size() > UINT32_MAX || end > size()) {
    return out_of_bounds("writing", pointer, static_cast<uint32_t>(bytes.size()), size(), what);
  }
  if (!bytes.empty()) std::memcpy(data() + pointer, bytes.data(), bytes.size());
  return ok_status();
}

}  // namespace wascc::engine
