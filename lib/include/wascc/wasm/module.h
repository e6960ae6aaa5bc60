// The wasm binary's outer structure: preamble and sections, read without decoding any
// section's contents (function bodies stay opaque), for core modules and components.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::module {

enum class BinaryKind { CoreModule, Component };

inline constexpr uint8_t kCustomSectionId = 0;
// Component-model section ids whose payload is itself a full binary (preamble included).
inline constexpr uint8_t kComponentCoreModuleSectionId = 1;
inline constexpr uint8_t kComponentNestedComponentSectionId = 4;

struct Section {
  uint8_t id = 0;
  size_t start = 0;          // offset of the id byte
  size_t payload_start = 0;  // offset of the first payload byte
  size_t payload_size = 0;
  std::string custom_name;          // custom sections only
  size_t custom_content_start = 0;  // custom sections only: first byte after the name

  size_t end() const { return payload_start + payload_size; }
  bool is_custom() const { return id == kCustomSectionId; }
  size_t custom_content_size() const { return end() - custom_content_start; }
};

struct Layout {
  BinaryKind kind = BinaryKind::CoreModule;
  std::array<uint8_t, 8> preamble{};
  std::vector<Section> sections;
};

// Reads the preamble and walks every section. Rejects, with the byte offset: a bad magic or
// version, an unknown section id, a non-custom core section out of order or repeated, a size
// that runs past the end, a custom section name that overruns its section or is not UTF-8.
// `base_offset` is added to reported offsets (for binaries nested in a component).
Result<Layout> read_layout(ByteView bytes, size_t base_offset = 0);

// Human name of a section id ("type", "code", "custom", ...).
std::string section_name(BinaryKind kind, uint8_t id);

}  // namespace wascc::module
