#include "wascc/wascap/embedded_claims.h"

#include "wascc/wasm/custom_sections.h"
#include "wascc/wasm/leb128.h"
#include "wascc/base/utf8.h"

namespace wascc::embedded_claims {
namespace {

bool is_nested_binary(const module::Layout& layout, const module::Section& section) {
  return layout.kind == module::BinaryKind::Component && (section.id == module::kComponentCoreModuleSectionId ||
                                                          section.id == module::kComponentNestedComponentSectionId);
}

Result<std::optional<EmbeddedToken>> find_nested_legacy_token(ByteView bytes, const module::Layout& layout) {
  for (const auto& section : layout.sections) {
    if (!is_nested_binary(layout, section)) continue;
    auto inner_bytes = bytes.subspan(section.payload_start, section.payload_size);
    auto inner = module::read_layout(inner_bytes, section.payload_start);
    if (!inner) return inner.error();
    for (const auto& inner_section : inner->sections) {
      if (inner_section.is_custom() && inner_section.custom_name == kLegacySectionName) {
        auto content = inner_bytes.subspan(inner_section.custom_content_start, inner_section.custom_content_size());
        if (!utf8::is_valid(content)) {
          return input_error("nested \"jwt\" section is not UTF-8 text",
                             section.payload_start + inner_section.custom_content_start);
        }
        EmbeddedToken token{std::string(kLegacySectionName), std::string(as_text(content)),
                            section.payload_start + inner_section.start, true, 0};
        return std::optional<EmbeddedToken>(std::move(token));
      }
    }
    auto deeper = find_nested_legacy_token(inner_bytes, *inner);
    if (!deeper || deeper->has_value()) return deeper;
  }
  return std::optional<EmbeddedToken>();
}

}  // namespace

bool is_claims_section_name(std::string_view name) { return name == kLegacySectionName || name == kModernSectionName; }

Result<std::optional<EmbeddedToken>> find_token(ByteView bytes, const module::Layout& layout) {
  std::optional<EmbeddedToken> found;
  for (const auto& section : layout.sections) {
    if (!section.is_custom() || !is_claims_section_name(section.custom_name)) continue;
    if (!found) {
      auto content = bytes.subspan(section.custom_content_start, section.custom_content_size());
      if (!utf8::is_valid(content)) {
        return input_error("\"" + section.custom_name + "\" section is not UTF-8 text", section.custom_content_start);
      }
      found = EmbeddedToken{section.custom_name, std::string(as_text(content)), section.start, false, 0};
    }
    ++found->claims_sections;
  }
  if (!found && layout.kind == module::BinaryKind::Component) {
    return find_nested_legacy_token(bytes, layout);
  }
  return found;
}

ByteChain raw_strip(ByteView bytes, const module::Layout& layout) {
  return custom_sections::without_custom_sections(
      bytes, layout, [](const module::Section& section) { return is_claims_section_name(section.custom_name); });
}

Result<ByteChain> canonical_strip(ByteView bytes, const module::Layout& layout) {
  ByteChain chain;
  chain.append_view(ByteView(bytes).first(layout.preamble.size()));
  for (const auto& section : layout.sections) {
    if (section.is_custom() && is_claims_section_name(section.custom_name)) continue;
    auto payload = bytes.subspan(section.payload_start, section.payload_size);
    Bytes header{section.id};
    if (is_nested_binary(layout, section)) {
      auto inner = module::read_layout(payload, section.payload_start);
      if (!inner) return inner.error();
      auto rebuilt = canonical_strip(payload, *inner);
      if (!rebuilt) return rebuilt.error();
      leb128::append_u32(header, static_cast<uint32_t>(rebuilt->size()));
      chain.append_owned(std::move(header));
      chain.append_chain(std::move(rebuilt.value()));
    } else {
      leb128::append_u32(header, static_cast<uint32_t>(payload.size()));
      chain.append_owned(std::move(header));
      chain.append_view(payload);
    }
  }
  return chain;
}

}  // namespace wascc::embedded_claims
