// Where a module carries its token: a `jwt` (wascap <= 0.8) or `wasmcloud_jwt` (>= 0.9)
// custom section, last in the module. Finding it, and the two "module without its claims"
// byte strings the eras hash.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/byte_chain.h"
#include "wascc/base/bytes_io.h"
#include "wascc/wasm/module.h"
#include "wascc/base/result.h"

namespace wascc::embedded_claims {

inline constexpr std::string_view kLegacySectionName = "jwt";
inline constexpr std::string_view kModernSectionName = "wasmcloud_jwt";

bool is_claims_section_name(std::string_view name);

struct EmbeddedToken {
  std::string section_name;
  std::string token;
  size_t section_offset = 0;   // of the section's id byte
  bool nested = false;         // found in a core module nested in a component
  size_t claims_sections = 0;  // how many claims sections the top level holds
};

// The first top-level claims section, or for a component without one the first `jwt`
// section of a nested module (upstream reads those too). nullopt when unsigned; an error
// when the section's payload is not UTF-8 text.
Result<std::optional<EmbeddedToken>> find_token(ByteView bytes, const module::Layout& layout);

// "Raw strip": the input with every top-level claims section deleted, all else unchanged.
// For every file signed by wascap <= 0.8 this equals the bytes its hash covers.
// The chain views into `bytes`, which must outlive it.
ByteChain raw_strip(ByteView bytes, const module::Layout& layout);

// "Canonical strip" (wascap >= 0.10): preamble, then each section except claims sections
// with its size re-encoded as a minimal LEB128; nested modules and components of a
// component rebuilt the same way. Payloads are never touched. Views into `bytes`.
Result<ByteChain> canonical_strip(ByteView bytes, const module::Layout& layout);

}  // namespace wascc::embedded_claims
