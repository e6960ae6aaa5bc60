#include "wascc/policy/opa_module.h"

#include <map>
#include <string>

#include "wascc/wasm/leb128.h"
#include "wascc/wasm/module.h"

namespace wascc::opa_module {
namespace {

constexpr uint8_t kImportSection = 2, kMemorySection = 5, kGlobalSection = 6, kExportSection = 7;
constexpr uint8_t kFunctionKind = 0, kTableKind = 1, kMemoryKind = 2, kGlobalKind = 3;

// Reads one section's payload front to back; the first failure sticks.
class Cursor {
 public:
  Cursor(ByteView bytes, size_t start, size_t end) : bytes_(bytes), at_(start), end_(end) {}
  bool ok() const { return ok_; }
  size_t at() const { return at_; }
  uint8_t byte() {
    if (at_ >= end_) return fail();
    return bytes_[at_++];
  }
  uint32_t u32() {
    if (!ok_) return 0;
    auto decoded = leb128::read_u32(bytes_.subspan(0, end_), at_);
    if (!decoded) return fail();
    at_ += decoded->length;
    return decoded->value;
  }
  int32_t s32() {  // signed LEB128, for i32.const
    int64_t result = 0;
    int shift = 0;
    uint8_t current;
    do {
      current = byte();
      result |= static_cast<int64_t>(current & 0x7f) << shift;
      shift += 7;
    } while (ok_ && (current & 0x80) && shift < 35);
    if (shift < 64 && (current & 0x40)) result |= -(int64_t{1} << shift);
    return static_cast<int32_t>(result);
  }
  std::string name() {
    const uint32_t length = u32();
    if (!ok_ || end_ - at_ < length) return fail(), std::string();
    std::string out(reinterpret_cast<const char*>(bytes_.data() + at_), length);
    at_ += length;
    return out;
  }
  void limits() {
    const uint8_t flags = byte();
    u32();
    if (flags & 1) u32();
  }

 private:
  uint8_t fail() {
    ok_ = false;
    return 0;
  }
  ByteView bytes_;
  size_t at_, end_;
  bool ok_ = true;
};

struct Import {
  size_t start, end;
  bool is_memory;
  uint32_t min_pages;
  std::optional<uint32_t> max_pages;
};

struct Parsed {
  module::Layout layout;
  std::vector<Import> imports;
  size_t imported_globals = 0;
  std::vector<std::optional<int32_t>> global_values;  // defined globals' i32.const inits
  std::map<std::string, std::pair<uint8_t, uint32_t>> exports;
};

Result<Parsed> parse(ByteView wasm) {
  Parsed parsed;
  auto layout = module::read_layout(wasm);
  if (!layout) return layout.error();
  parsed.layout = std::move(layout.value());
  for (const auto& section : parsed.layout.sections) {
    Cursor cursor(wasm, section.payload_start, section.end());
    if (section.id == kImportSection) {
      const uint32_t count = cursor.u32();
      for (uint32_t i = 0; i < count && cursor.ok(); ++i) {
        Import entry{cursor.at(), 0, false, 0, std::nullopt};
        const std::string module_name = cursor.name();
        const std::string field = cursor.name();
        const uint8_t kind = cursor.byte();
        if (kind == kFunctionKind) {
          cursor.u32();
        } else if (kind == kTableKind) {
          cursor.byte();
          cursor.limits();
        } else if (kind == kMemoryKind) {
          const uint8_t flags = cursor.byte();
          entry.is_memory = true;
          entry.min_pages = cursor.u32();
          if (flags & 1) entry.max_pages = cursor.u32();
        } else if (kind == kGlobalKind) {
          cursor.byte();
          cursor.byte();
          ++parsed.imported_globals;
        }
        entry.end = cursor.at();
        parsed.imports.push_back(entry);
      }
    } else if (section.id == kGlobalSection) {
      const uint32_t count = cursor.u32();
      for (uint32_t i = 0; i < count && cursor.ok(); ++i) {
        cursor.byte();  // value type
        cursor.byte();  // mutability
        std::optional<int32_t> value;
        const uint8_t opcode = cursor.byte();
        if (opcode == 0x41) value = cursor.s32();
        while (cursor.ok() && cursor.byte() != 0x0b) {  // the rest of the init expression
        }
        parsed.global_values.push_back(opcode == 0x41 ? value : std::nullopt);
      }
    } else if (section.id == kExportSection) {
      const uint32_t count = cursor.u32();
      for (uint32_t i = 0; i < count && cursor.ok(); ++i) {
        std::string name = cursor.name();
        const uint8_t kind = cursor.byte();
        parsed.exports[name] = {kind, cursor.u32()};
      }
    } else {
      continue;
    }
    if (!cursor.ok()) {
      return input_error("malformed " + module::section_name(parsed.layout.kind, section.id) + " section",
                         section.payload_start);
    }
  }
  return parsed;
}

std::optional<int32_t> exported_global(const Parsed& parsed, const std::string& name) {
  auto found = parsed.exports.find(name);
  if (found == parsed.exports.end() || found->second.first != kGlobalKind) return std::nullopt;
  const uint32_t index = found->second.second;
  if (index < parsed.imported_globals || index - parsed.imported_globals >= parsed.global_values.size())
    return std::nullopt;
  return parsed.global_values[index - parsed.imported_globals];
}

void append_name(Bytes& out, const std::string& name) {
  leb128::append_u32(out, static_cast<uint32_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}

void append_section(Bytes& out, uint8_t id, const Bytes& payload) {
  out.push_back(id);
  leb128::append_u32(out, static_cast<uint32_t>(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
}

}  // namespace

Result<Facts> read_facts(ByteView wasm) {
  auto parsed = parse(wasm);
  if (!parsed) return parsed.error();
  Facts facts;
  facts.abi_major = exported_global(*parsed, "opa_wasm_abi_version");
  facts.abi_minor = exported_global(*parsed, "opa_wasm_abi_minor_version");
  for (const auto& entry : parsed->imports) {
    if (entry.is_memory) {
      facts.imports_memory = true;
      facts.memory_min_pages = entry.min_pages;
    }
  }
  return facts;
}

Result<Bytes> with_own_memory(ByteView wasm) {
  auto parsed = parse(wasm);
  if (!parsed) return parsed.error();
  const Import* memory = nullptr;
  for (const auto& entry : parsed->imports) {
    if (entry.is_memory) memory = &entry;
  }
  if (memory == nullptr) return Bytes(wasm.begin(), wasm.end());
  Bytes out(wasm.begin(), wasm.begin() + 8);
  bool memory_written = false;
  auto write_memory_section = [&] {
    Bytes payload;
    leb128::append_u32(payload, 1);
    payload.push_back(memory->max_pages ? 1 : 0);
    leb128::append_u32(payload, memory->min_pages);
    if (memory->max_pages) leb128::append_u32(payload, *memory->max_pages);
    append_section(out, kMemorySection, payload);
    memory_written = true;
  };
  for (const auto& section : parsed->layout.sections) {
    if (!section.is_custom() && section.id > kMemorySection && !memory_written) write_memory_section();
    if (section.id == kImportSection) {
      Bytes payload;
      leb128::append_u32(payload, static_cast<uint32_t>(parsed->imports.size() - 1));
      for (const auto& entry : parsed->imports) {
        if (&entry != memory) payload.insert(payload.end(), wasm.begin() + entry.start, wasm.begin() + entry.end);
      }
      append_section(out, kImportSection, payload);
    } else if (section.id == kExportSection && !parsed->exports.count("memory")) {
      Bytes payload;
      leb128::append_u32(payload, static_cast<uint32_t>(parsed->exports.size() + 1));
      Cursor skip(wasm, section.payload_start, section.end());
      skip.u32();
      payload.insert(payload.end(), wasm.begin() + skip.at(), wasm.begin() + section.end());
      append_name(payload, "memory");
      payload.push_back(kMemoryKind);
      leb128::append_u32(payload, 0);
      append_section(out, kExportSection, payload);
    } else {
      out.insert(out.end(), wasm.begin() + section.start, wasm.begin() + section.end());
    }
  }
  if (!memory_written) write_memory_section();
  return out;
}

}  // namespace wascc::opa_module
