// What every fuzz target shares: the input as bytes or text, and a split of one input into
// a selector byte and the rest (targets that cover several related parsers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace wascc::fuzz {

inline std::span<const uint8_t> bytes(const uint8_t* data, size_t size) { return {data, size}; }
inline std::string_view text(const uint8_t* data, size_t size) { return {reinterpret_cast<const char*>(data), size}; }

// Inputs bigger than this teach nothing new and slow every round down.
inline constexpr size_t kMaxInput = 1u << 20;

}  // namespace wascc::fuzz
