#include "wascc/wasm/custom_sections.h"

#include "wascc/wasm/leb128.h"

namespace wascc::custom_sections {

std::vector<CustomSection> list(ByteView bytes, const module::Layout& layout) {
  std::vector<CustomSection> found;
  for (const auto& section : layout.sections) {
    if (!section.is_custom()) continue;
    found.push_back({section.custom_name, bytes.subspan(section.custom_content_start, section.custom_content_size()),
                     section.start});
  }
  return found;
}

Bytes encode(std::string_view name, ByteView content) {
  const auto name_size = static_cast<uint32_t>(name.size());
  const auto payload_size = static_cast<uint32_t>(leb128::encoded_size_u32(name_size) + name.size() + content.size());
  Bytes out;
  out.reserve(1 + leb128::encoded_size_u32(payload_size) + payload_size);
  out.push_back(module::kCustomSectionId);
  leb128::append_u32(out, payload_size);
  leb128::append_u32(out, name_size);
  out.insert(out.end(), name.begin(), name.end());
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

Bytes append(ByteView bytes, std::string_view name, ByteView content) {
  Bytes section = encode(name, content);
  Bytes out;
  out.reserve(bytes.size() + section.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
  out.insert(out.end(), section.begin(), section.end());
  return out;
}

ByteChain without_custom_sections(ByteView bytes, const module::Layout& layout,
                                  const std::function<bool(const module::Section&)>& drop) {
  ByteChain chain;
  size_t copied_to = 0;
  for (const auto& section : layout.sections) {
    if (!section.is_custom() || !drop(section)) continue;
    chain.append_view(bytes.subspan(copied_to, section.start - copied_to));
    copied_to = section.end();
  }
  chain.append_view(bytes.subspan(copied_to));
  return chain;
}

bool is_debug_section_name(std::string_view name) {
  return name == "name" || name == "producers" || name.rfind(".debug_", 0) == 0 || name == "sourceMappingURL" ||
         name == "external_debug_info";
}

Bytes remove_debug_sections(ByteView bytes, const module::Layout& layout) {
  return without_custom_sections(
             bytes, layout, [](const module::Section& section) { return is_debug_section_name(section.custom_name); })
      .flatten();
}

Bytes remove_named(ByteView bytes, const module::Layout& layout, std::string_view name) {
  return without_custom_sections(bytes, layout,
                                 [name](const module::Section& section) { return section.custom_name == name; })
      .flatten();
}

Bytes replace_named(ByteView bytes, const module::Layout& layout, std::string_view name, ByteView content) {
  // The new section stands where the first one of that name stood, or at the end.
  ByteChain chain;
  size_t copied_to = 0;
  bool replaced = false;
  for (const auto& section : layout.sections) {
    if (!section.is_custom() || section.custom_name != name) continue;
    chain.append_view(bytes.subspan(copied_to, section.start - copied_to));
    if (!replaced) chain.append_owned(encode(name, content));
    replaced = true;
    copied_to = section.end();
  }
  chain.append_view(bytes.subspan(copied_to));
  if (!replaced) chain.append_owned(encode(name, content));
  return chain.flatten();
}

}  // namespace wascc::custom_sections
