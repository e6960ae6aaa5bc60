#include "wascc/wasm/module.h"

#include <cstdio>
#include <cstring>

#include "wascc/wasm/leb128.h"
#include "wascc/base/utf8.h"

namespace wascc::module {
namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
constexpr uint8_t kCoreVersion[4] = {0x01, 0x00, 0x00, 0x00};
constexpr uint8_t kCoreSectionIdMax = 13;       // tag (exception handling) is the last known
constexpr uint8_t kComponentSectionIdMax = 11;  // export

// Position of each known core section in the order the spec requires (tag sits between
// memory and global; datacount between elem and code).
int core_section_rank(uint8_t id) {
  static constexpr int kRanks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return kRanks[id];
}

std::string hex_byte(uint8_t value) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", value);
  return text;
}

}  // namespace

std::string section_name(BinaryKind kind, uint8_t id) {
  static const char* const kCore[] = {"custom", "type",  "import", "function", "table", "memory",    "global",
                                      "export", "start", "elem",   "code",     "data",  "datacount", "tag"};
  static const char* const kComponent[] = {"custom",    "core module", "core instance", "core type",
                                           "component", "instance",    "alias",         "type",
                                           "canon",     "start",       "import",        "export"};
  if (kind == BinaryKind::CoreModule && id <= kCoreSectionIdMax) return kCore[id];
  if (kind == BinaryKind::Component && id <= kComponentSectionIdMax) return kComponent[id];
  return "unknown (" + std::to_string(id) + ")";
}

Result<Layout> read_layout(ByteView bytes, size_t base_offset) {
  Layout layout;
  if (bytes.size() < 8) {
    if (bytes.size() < 4 || std::memcmp(bytes.data(), kMagic, 4) != 0) {
      return input_error("not a wasm binary: missing \"\\0asm\" magic", base_offset);
    }
    return input_error("unexpected end of file in the wasm header", base_offset + bytes.size());
  }
  if (std::memcmp(bytes.data(), kMagic, 4) != 0) {
    return input_error("not a wasm binary: missing \"\\0asm\" magic", base_offset);
  }
  std::memcpy(layout.preamble.data(), bytes.data(), 8);
  if (std::memcmp(bytes.data() + 4, kCoreVersion, 4) == 0) {
    layout.kind = BinaryKind::CoreModule;
  } else if ((bytes[4] == 0x0d || bytes[4] == 0x0c) && bytes[5] == 0x00 && bytes[6] == 0x01 && bytes[7] == 0x00) {
    // Component model layer 1; 0x0c is the pre-release encoding some signed components carry.
    layout.kind = BinaryKind::Component;
  } else {
    char version[64];
    std::snprintf(version, sizeof version, "%02x %02x %02x %02x", bytes[4], bytes[5], bytes[6], bytes[7]);
    return input_error(std::string("unsupported wasm binary version: ") + version, base_offset + 4);
  }

  const uint8_t max_id = layout.kind == BinaryKind::CoreModule ? kCoreSectionIdMax : kComponentSectionIdMax;
  int last_rank = 0;
  size_t offset = 8;
  while (offset < bytes.size()) {
    Section section;
    section.start = offset;
    section.id = bytes[offset];
    if (section.id > max_id) {
      return input_error("unknown section id " + hex_byte(section.id), base_offset + offset);
    }
    auto size = leb128::read_u32(bytes, offset + 1);
    if (!size) return input_error("bad section size: " + size.error().message, base_offset + offset + 1);
    section.payload_start = offset + 1 + size->length;
    section.payload_size = size->value;
    if (section.payload_size > bytes.size() - section.payload_start) {
      return input_error(section_name(layout.kind, section.id) + " section size " +
                             std::to_string(section.payload_size) + " runs past the end of the file",
                         base_offset + offset + 1);
    }
    if (section.is_custom()) {
      auto name_size = leb128::read_u32(bytes.first(section.end()), section.payload_start);
      if (!name_size) {
        return input_error("bad custom section name length: " + name_size.error().message,
                           base_offset + section.payload_start);
      }
      size_t name_start = section.payload_start + name_size->length;
      if (name_size->value > section.end() - name_start) {
        return input_error("custom section name runs past the end of its section", base_offset + section.payload_start);
      }
      if (!utf8::is_valid(bytes.subspan(name_start, name_size->value))) {
        return input_error("custom section name is not valid UTF-8", base_offset + name_start);
      }
      section.custom_name.assign(reinterpret_cast<const char*>(bytes.data() + name_start), name_size->value);
      section.custom_content_start = name_start + name_size->value;
    } else if (layout.kind == BinaryKind::CoreModule) {
      int rank = core_section_rank(section.id);
      if (rank <= last_rank) {
        return input_error(section_name(layout.kind, section.id) + " section out of order or repeated",
                           base_offset + offset);
      }
      last_rank = rank;
    }
    layout.sections.push_back(std::move(section));
    offset = layout.sections.back().end();
  }
  return layout;
}

}  // namespace wascc::module
