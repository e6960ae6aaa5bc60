#include "aot_c_rewrite.h"

#include <set>
#include <string_view>

namespace wascc::aot_c_rewrite {
namespace {

// The last helper the C writer defines, after which the base-taking twins go.
constexpr std::string_view kLastHelper = "DEFINE_STORE(i64_store32, u32, u64)\n";
constexpr std::string_view kPrologue = "  FUNC_PROLOGUE;\n";
constexpr std::string_view kBase = "w2c_wascc_membase";

// name##_at(mem, base, addr): the same access with the data pointer from `base`. MEMCHECK
// still names `mem` (a no-op with guard pages, the engine's configuration: with explicit
// bounds checks the twins are not used, see the #if).
constexpr std::string_view kTwins = R"(
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER && !WABT_BIG_ENDIAN
#define WASCC_BASE_LOAD(name, t1, t2, t3)                                        \
  static inline t3 name##_at(wasm_rt_memory_t* mem, u8* base, u64 addr) {        \
    MEMCHECK(mem, addr, t1);                                                     \
    t1 result;                                                                   \
    wasm_rt_memcpy(&result, &base[addr], sizeof(t1));                            \
    wasm_asm("" ::"r"(result));                                                  \
    return (t3)(t2)result;                                                       \
  }
#define WASCC_BASE_STORE(name, t1, t2)                                           \
  static inline void name##_at(wasm_rt_memory_t* mem, u8* base, u64 addr, t2 value) { \
    MEMCHECK(mem, addr, t1);                                                     \
    t1 wrapped = (t1)value;                                                      \
    wasm_rt_memcpy(&base[addr], &wrapped, sizeof(t1));                           \
  }
#else
#define WASCC_BASE_LOAD(name, t1, t2, t3)                                        \
  static inline t3 name##_at(wasm_rt_memory_t* mem, u8* base, u64 addr) {        \
    (void)base;                                                                  \
    return name(mem, addr);                                                      \
  }
#define WASCC_BASE_STORE(name, t1, t2)                                           \
  static inline void name##_at(wasm_rt_memory_t* mem, u8* base, u64 addr, t2 value) { \
    (void)base;                                                                  \
    name(mem, addr, value);                                                      \
  }
#endif
WASCC_BASE_LOAD(i32_load, u32, u32, u32)
WASCC_BASE_LOAD(i64_load, u64, u64, u64)
WASCC_BASE_LOAD(f32_load, f32, f32, f32)
WASCC_BASE_LOAD(f64_load, f64, f64, f64)
WASCC_BASE_LOAD(i32_load8_s, s8, s32, u32)
WASCC_BASE_LOAD(i64_load8_s, s8, s64, u64)
WASCC_BASE_LOAD(i32_load8_u, u8, u32, u32)
WASCC_BASE_LOAD(i64_load8_u, u8, u64, u64)
WASCC_BASE_LOAD(i32_load16_s, s16, s32, u32)
WASCC_BASE_LOAD(i64_load16_s, s16, s64, u64)
WASCC_BASE_LOAD(i32_load16_u, u16, u32, u32)
WASCC_BASE_LOAD(i64_load16_u, u16, u64, u64)
WASCC_BASE_LOAD(i64_load32_s, s32, s64, u64)
WASCC_BASE_LOAD(i64_load32_u, u32, u64, u64)
WASCC_BASE_STORE(i32_store, u32, u32)
WASCC_BASE_STORE(i64_store, u64, u64)
WASCC_BASE_STORE(f32_store, f32, f32)
WASCC_BASE_STORE(f64_store, f64, f64)
WASCC_BASE_STORE(i32_store8, u8, u32)
WASCC_BASE_STORE(i32_store16, u16, u32)
WASCC_BASE_STORE(i64_store8, u8, u64)
WASCC_BASE_STORE(i64_store16, u16, u64)
WASCC_BASE_STORE(i64_store32, u32, u64)
)";

constexpr std::string_view kMemoryArgument = "(&instance->";

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// i32_load, i64_store16, f64_load, i64_load32_u...: the C writer's names of loads and stores.
bool is_access_name(std::string_view name) {
  if (name.size() < 8 || (name.substr(0, 4) != "i32_" && name.substr(0, 4) != "i64_" && name.substr(0, 4) != "f32_" &&
                          name.substr(0, 4) != "f64_")) {
    return false;
  }
  std::string_view rest = name.substr(4);
  if (rest.substr(0, 4) == "load") {
    rest.remove_prefix(4);
  } else if (rest.substr(0, 5) == "store") {
    rest.remove_prefix(5);
  } else {
    return false;
  }
  for (std::string_view width : {"8", "16", "32"}) {
    if (rest.substr(0, width.size()) == width) {
      rest.remove_prefix(width.size());
      break;
    }
  }
  return rest.empty() || rest == "_s" || rest == "_u";
}

// One access found in the text: where its name starts, where its memory argument ends (the
// ", " after it), and the memory's member name.
struct Access {
  size_t name_begin, name_end, argument_end;
  std::string memory;
};

// Scans for "NAME(&instance->MEMBER, " with NAME a load or store; a plain find, not a regex:
// the C of a large module is tens of megabytes.
template <typename Visit>
void for_each_access(std::string_view text, Visit&& visit) {
  for (size_t at = text.find(kMemoryArgument); at != std::string_view::npos;
       at = text.find(kMemoryArgument, at + 1)) {
    size_t name_begin = at;
    while (name_begin > 0 && is_identifier_char(text[name_begin - 1])) --name_begin;
    if (!is_access_name(text.substr(name_begin, at - name_begin))) continue;
    const size_t member = at + kMemoryArgument.size();
    size_t member_end = member;
    while (member_end < text.size() && is_identifier_char(text[member_end])) ++member_end;
    if (text.substr(member_end, 2) != ", ") continue;
    visit(Access{name_begin, at, member_end + 2, std::string(text.substr(member, member_end - member))});
  }
}

}  // namespace

Rewritten hoist_memory_base(const std::string& module_c) {
  Rewritten unchanged{module_c, 0};
  const size_t helpers = module_c.find(kLastHelper);
  if (helpers == std::string::npos) return unchanged;
  const std::string_view body = std::string_view(module_c).substr(helpers + kLastHelper.size());
  std::set<std::string> memories;
  for_each_access(body, [&](const Access& access) { memories.insert(access.memory); });
  if (memories.size() != 1) return unchanged;
  const std::string memory = *memories.begin();

  Rewritten out;
  out.c.reserve(module_c.size() + module_c.size() / 8);
  out.c.append(module_c, 0, helpers + kLastHelper.size());
  out.c.append(kTwins);
  // Every access: name(&instance->MEMORY, ...) -> name_at(&instance->MEMORY, BASE, ...).
  std::string rest;
  rest.reserve(body.size() + body.size() / 8);
  size_t copied = 0;
  for_each_access(body, [&](const Access& access) {
    rest.append(body.substr(copied, access.name_end - copied));
    rest += "_at(&instance->" + memory + ", " + std::string(kBase) + ", ";
    copied = access.argument_end;
    ++out.accesses;
  });
  rest.append(body.substr(copied));
  // Each function reads the base once, after its prologue.
  const std::string declaration =
      std::string(kPrologue) + "  u8* const " + std::string(kBase) + " = instance->" + memory + ".data;\n";
  size_t from = 0;
  for (size_t at = rest.find(kPrologue); at != std::string::npos; at = rest.find(kPrologue, from)) {
    out.c.append(rest, from, at - from);
    out.c += declaration;
    from = at + kPrologue.size();
  }
  out.c.append(rest, from, std::string::npos);
  return out;
}

}  // namespace wascc::aot_c_rewrite
