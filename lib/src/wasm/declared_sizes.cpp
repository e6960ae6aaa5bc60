#include "wascc/wasm/declared_sizes.h"

#include <algorithm>

#include "wascc/wasm/leb128.h"
#include "wascc/wasm/module.h"

namespace wascc::declared_sizes {
namespace {

constexpr uint8_t kTableSectionId = 4;
constexpr uint8_t kMemorySectionId = 5;
constexpr uint8_t kCodeSectionId = 10;

// A cursor over one section's payload.
class Reader {
 public:
  Reader(ByteView bytes, size_t at, size_t end) : bytes_(bytes.first(end)), at_(at) {}

  Result<uint64_t> u32() {
    auto decoded = leb128::read_u32(bytes_, at_);
    if (!decoded) return decoded.error();
    at_ += decoded->length;
    return decoded->value;
  }
  // memory64 limits are u64: read as many LEB bytes as there are, keeping the low 64 bits.
  Result<uint64_t> u64() {
    uint64_t value = 0;
    for (unsigned shift = 0; shift < 70; shift += 7) {
      if (at_ >= bytes_.size()) return truncated();
      const uint8_t byte = bytes_[at_++];
      if (shift < 64) value |= uint64_t(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return input_error("integer too long", at_);
  }
  Result<uint8_t> byte() {
    if (at_ >= bytes_.size()) return truncated();
    return bytes_[at_++];
  }
  Status skip(uint64_t count) {
    if (count > bytes_.size() - at_) return truncated();
    at_ += static_cast<size_t>(count);
    return ok_status();
  }
  size_t at() const { return at_; }

 private:
  Error truncated() const { return input_error("unexpected end of section", at_); }
  ByteView bytes_;
  size_t at_;
};

// limits ::= flags min [max]; flags bit 0: has max, bit 2: 64-bit (memory64).
Result<uint64_t> initial_of_limits(Reader& reader) {
  auto flags = reader.byte();
  if (!flags) return flags.error();
  const bool is64 = (*flags & 0x04) != 0;
  auto initial = is64 ? reader.u64() : reader.u32();
  if (!initial) return initial.error();
  if (*flags & 0x01) {
    auto maximum = is64 ? reader.u64() : reader.u32();
    if (!maximum) return maximum.error();
  }
  return *initial;
}

Status read_limits_vector(Reader& reader, bool tables, uint64_t& largest) {
  auto count = reader.u32();
  if (!count) return count.error();
  for (uint64_t i = 0; i < *count; ++i) {
    if (tables) {
      if (auto element_type = reader.byte(); !element_type) return element_type.error();
    }
    auto initial = initial_of_limits(reader);
    if (!initial) return initial.error();
    largest = std::max(largest, *initial);
  }
  return ok_status();
}

Status read_code(Reader& reader, DeclaredSizes& sizes) {
  auto count = reader.u32();
  if (!count) return count.error();
  for (uint32_t function = 0; function < *count; ++function) {
    auto body_size = reader.u32();
    if (!body_size) return body_size.error();
    const size_t body_start = reader.at();
    auto groups = reader.u32();
    if (!groups) return groups.error();
    uint64_t locals = 0;
    for (uint64_t group = 0; group < *groups; ++group) {
      auto in_group = reader.u32();
      if (!in_group) return in_group.error();
      if (auto type = reader.byte(); !type) return type.error();
      locals += *in_group;
    }
    if (locals > sizes.most_locals) {
      sizes.most_locals = locals;
      sizes.function_with_most_locals = function;
    }
    const size_t header_size = reader.at() - body_start;
    if (header_size > *body_size) return input_error("function body size mismatch", body_start);
    if (auto skipped = reader.skip(*body_size - header_size); !skipped) return skipped;
  }
  return ok_status();
}

}  // namespace

Result<DeclaredSizes> read(ByteView wasm) {
  auto layout = module::read_layout(wasm);
  if (!layout) return layout.error();
  DeclaredSizes sizes;
  if (layout->kind != module::BinaryKind::CoreModule) return sizes;
  for (const auto& section : layout->sections) {
    Reader reader(wasm, section.payload_start, section.end());
    Status read = ok_status();
    if (section.id == kMemorySectionId) read = read_limits_vector(reader, false, sizes.initial_memory_pages);
    if (section.id == kTableSectionId) read = read_limits_vector(reader, true, sizes.initial_table_elements);
    if (section.id == kCodeSectionId) read = read_code(reader, sizes);
    if (!read) return read.error();
  }
  return sizes;
}

}  // namespace wascc::declared_sizes
