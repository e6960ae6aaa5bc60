// Custom sections: list, read, add, replace, remove. Every byte outside the sections
// touched is kept exactly as it was; nothing is re-encoded.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/byte_chain.h"
#include "wascc/base/bytes_io.h"
#include "wascc/wasm/module.h"

namespace wascc::custom_sections {

struct CustomSection {
  std::string name;
  ByteView content;      // the bytes after the name
  size_t section_start;  // offset of the section's id byte
};

std::vector<CustomSection> list(ByteView bytes, const module::Layout& layout);

// The encoded section: id 0, minimal size LEB, name length, name, content.
Bytes encode(std::string_view name, ByteView content);

// The module with one new custom section after the last section.
Bytes append(ByteView bytes, std::string_view name, ByteView content);

// The module with every custom section for which `drop` is true cut out (id, size and
// payload), as views into `bytes`; everything else byte-identical.
ByteChain without_custom_sections(ByteView bytes, const module::Layout& layout,
                                  const std::function<bool(const module::Section&)>& drop);

// The module without any custom section named `name` (each removed whole: id, size, payload).
Bytes remove_named(ByteView bytes, const module::Layout& layout, std::string_view name);

// The module with the first section named `name` replaced in place by one with `content`,
// and any later ones of that name removed; appended when there is none.
Bytes replace_named(ByteView bytes, const module::Layout& layout, std::string_view name, ByteView content);

// True for sections that only carry debugging aids: "name", "producers", DWARF (".debug_*"),
// "sourceMappingURL", "external_debug_info".
bool is_debug_section_name(std::string_view name);

// The module without its debug sections (everything else byte-identical).
Bytes remove_debug_sections(ByteView bytes, const module::Layout& layout);

}  // namespace wascc::custom_sections
