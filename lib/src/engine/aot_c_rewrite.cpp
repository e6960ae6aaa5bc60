#include "aot_c_rewrite.h"

#include <algorithm>
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
  for (size_t at = text.find(kMemoryArgument); at != std::string_view::npos; at = text.find(kMemoryArgument, at + 1)) {
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

std::string hoist_memory_base(std::string module_c) {
  const size_t helpers = module_c.find(kLastHelper);
  if (helpers == std::string::npos) return module_c;
  const std::string_view body = std::string_view(module_c).substr(helpers + kLastHelper.size());
  std::set<std::string> memories;
  for_each_access(body, [&](const Access& access) { memories.insert(access.memory); });
  if (memories.size() != 1) return module_c;
  const std::string memory = *memories.begin();

  std::string out;
  out.reserve(module_c.size() + module_c.size() / 8);
  out.append(module_c, 0, helpers + kLastHelper.size());
  out.append(kTwins);
  // Every access: name(&instance->MEMORY, ...) -> name_at(&instance->MEMORY, BASE, ...).
  std::string rest;
  rest.reserve(body.size() + body.size() / 8);
  size_t copied = 0;
  for_each_access(body, [&](const Access& access) {
    rest.append(body.substr(copied, access.name_end - copied));
    rest += "_at(&instance->" + memory + ", " + std::string(kBase) + ", ";
    copied = access.argument_end;
  });
  rest.append(body.substr(copied));
  // Each function reads the base once, after its prologue.
  const std::string declaration =
      std::string(kPrologue) + "  u8* const " + std::string(kBase) + " = instance->" + memory + ".data;\n";
  size_t from = 0;
  for (size_t at = rest.find(kPrologue); at != std::string::npos; at = rest.find(kPrologue, from)) {
    out.append(rest, from, at - from);
    out += declaration;
    from = at + kPrologue.size();
  }
  out.append(rest, from, std::string::npos);
  return out;
}

namespace {

constexpr std::string_view kHidden = "WASCC_SHARED ";
constexpr std::string_view kHiddenDefinition = "#define WASCC_SHARED __attribute__((visibility(\"hidden\")))\n";
constexpr std::string_view kHeadEnd = "static void init_globals(";
constexpr std::string_view kFuncTypes = "static u32 func_types[";

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

// "static u32 w2c_f7(" and its kin: a generated function's declaration or definition.
bool is_function_header(std::string_view line) {
  if (line.substr(0, 7) != "static ") return false;
  const size_t name = line.find(" w2c_", 6);
  const size_t paren = line.find('(');
  if (name == std::string_view::npos || paren == std::string_view::npos || name > paren) return false;
  const std::string_view type = line.substr(7, name - 7);
  return type == "u32" || type == "u64" || type == "f32" || type == "f64" || type == "void" ||
         type.substr(0, 7) == "struct ";
}

// The name a static object of the file's tail defines: "static const u8 data_segment_x[] = {"
// -> data_segment_x.
std::string_view static_object_name(std::string_view line) {
  const size_t end = line.find_first_of("[=;(");
  if (end == std::string_view::npos) return {};
  std::string_view before = line.substr(0, end);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  size_t begin = before.size();
  while (begin > 0 && is_identifier_char(before[begin - 1])) --begin;
  return before.substr(begin);
}

struct Body {
  size_t first, last;  // lines, the header's first to the closing brace
  size_t size() const { return last - first + 1; }
};

void append_line(std::string& out, std::string_view line) {
  out.append(line);
  out.push_back('\n');
}

// A line as every part has it: generated functions hidden, not static.
void append_shared(std::string& out, std::string_view line) {
  if (is_function_header(line)) {
    out.append(kHidden);
    line.remove_prefix(7);
  }
  append_line(out, line);
}

}  // namespace

std::vector<std::string> split_functions(const std::string& module_c, size_t parts) {
  if (parts < 2) return {};
  const auto lines = lines_of(module_c);
  size_t head_end = lines.size();
  for (size_t i = 0; i < lines.size() && head_end == lines.size(); ++i) {
    if (lines[i].substr(0, kHeadEnd.size()) == kHeadEnd) head_end = i;
  }
  if (head_end == lines.size()) return {};
  // Bodies: a header not ending in ';' whose block opens with FUNC_PROLOGUE, to its "}".
  std::vector<Body> bodies;
  std::set<std::string_view> tail_statics;
  for (size_t i = head_end; i < lines.size(); ++i) {
    if (!is_function_header(lines[i])) {
      if (lines[i].substr(0, 7) == "static ") tail_statics.insert(static_object_name(lines[i]));
      continue;
    }
    size_t open = i;
    while (open < lines.size() && lines[open].find('{') == std::string_view::npos) ++open;
    if (open + 1 >= lines.size() || lines[open].back() != '{') return {};
    size_t close = open + 1;
    while (close < lines.size() && lines[close] != "}") ++close;
    if (close == lines.size()) return {};
    bool prologue = false;
    for (size_t k = open + 1; k < std::min(close, open + 8) && !prologue; ++k) {
      prologue = lines[k].find(kPrologue.substr(2, kPrologue.size() - 3)) != std::string_view::npos;
    }
    if (prologue) bodies.push_back({i, close});
    i = close;
  }
  parts = std::min(parts, bodies.size());
  if (parts < 2) return {};
  // Largest first, each to the lightest part (part 0 also keeps the file's tail).
  std::vector<size_t> order(bodies.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return bodies[a].size() > bodies[b].size(); });
  std::vector<size_t> load(parts, 0), owner(bodies.size(), 0);
  load[0] = lines.size() / (parts * 8);
  for (size_t index : order) {
    const size_t part = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    owner[index] = part;
    load[part] += bodies[index].size();
  }
  // A body elsewhere than part 0 must not name what only part 0 defines (segments, tags):
  // each identifier of a moved body looked up once.
  for (size_t b = 0; b < bodies.size(); ++b) {
    if (owner[b] == 0) continue;
    for (size_t k = bodies[b].first; k <= bodies[b].last; ++k) {
      const std::string_view line = lines[k];
      for (size_t at = 0; at < line.size();) {
        if (!is_identifier_char(line[at])) {
          ++at;
          continue;
        }
        size_t end = at;
        while (end < line.size() && is_identifier_char(line[end])) ++end;
        if (tail_statics.count(line.substr(at, end - at))) return {};
        at = end;
      }
    }
  }

  std::vector<std::string> out(parts);
  std::vector<bool> moved(lines.size(), false);
  for (size_t b = 0; b < bodies.size(); ++b) {
    if (owner[b] == 0) continue;
    for (size_t k = bodies[b].first; k <= bodies[b].last; ++k) moved[k] = true;
  }
  for (size_t part = 0; part < parts; ++part) {
    out[part].reserve(module_c.size() / parts + module_c.size() / 8);
    out[part].append(kHiddenDefinition);
  }
  for (size_t k = 0; k < head_end; ++k) {
    const bool func_types = lines[k].substr(0, kFuncTypes.size()) == kFuncTypes;
    for (size_t part = 0; part < parts; ++part) {
      if (func_types) {
        out[part].append(part == 0 ? kHidden : std::string_view("extern "));
        append_line(out[part], lines[k].substr(7));
      } else {
        append_shared(out[part], lines[k]);
      }
    }
  }
  for (size_t k = head_end; k < lines.size(); ++k) {
    if (!moved[k]) append_shared(out[0], lines[k]);
  }
  for (size_t b = 0; b < bodies.size(); ++b) {
    if (owner[b] == 0) continue;
    for (size_t k = bodies[b].first; k <= bodies[b].last; ++k) append_shared(out[owner[b]], lines[k]);
  }
  return out;
}

}  // namespace wascc::aot_c_rewrite
