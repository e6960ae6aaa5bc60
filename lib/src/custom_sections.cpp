#include "wascc/custom_sections.h"

#include "wascc/leb128.h"

namespace wascc::custom_sections {

std::vector<CustomSection> list(ByteView bytes, const module::Layout& layout) {
  std::vector<CustomSection> found;
  for (const auto& section : layout.sections) {
    if (!section.is_custom()) continue;
    found.push_back({section.custom_name,
                     bytes.subspan(section.custom_content_start, section.custom_content_size()),
                     section.start});
  }
  return found;
}

Bytes encode(std::string_view name, ByteView content) {
  const auto name_size = static_cast<uint32_t>(name.size());
  const auto payload_size =
      static_cast<uint32_t>(leb128::encoded_size_u32(name_size) + name.size() + content.size());
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

namespace {

// Copies `bytes`, substituting `replacement` for the first section matching `name` and
// dropping every other match.
Bytes rebuild_without(ByteView bytes, const module::Layout& layout, std::string_view name,
                      const Bytes* replacement) {
  Bytes out;
  out.reserve(bytes.size() + (replacement ? replacement->size() : 0));
  size_t copied_to = 0;
  bool replaced = false;
  for (const auto& section : layout.sections) {
    if (!section.is_custom() || section.custom_name != name) continue;
    out.insert(out.end(), bytes.begin() + static_cast<ptrdiff_t>(copied_to),
               bytes.begin() + static_cast<ptrdiff_t>(section.start));
    if (replacement && !replaced) {
      out.insert(out.end(), replacement->begin(), replacement->end());
      replaced = true;
    }
    copied_to = section.end();
  }
  out.insert(out.end(), bytes.begin() + static_cast<ptrdiff_t>(copied_to), bytes.end());
  if (replacement && !replaced) out.insert(out.end(), replacement->begin(), replacement->end());
  return out;
}

}  // namespace

Bytes remove_named(ByteView bytes, const module::Layout& layout, std::string_view name) {
  return rebuild_without(bytes, layout, name, nullptr);
}

Bytes replace_named(ByteView bytes, const module::Layout& layout, std::string_view name,
                    ByteView content) {
  Bytes section = encode(name, content);
  return rebuild_without(bytes, layout, name, &section);
}

}  // namespace wascc::custom_sections
