// UTF-8 validation, for custom section names and token text, and repair for reports.
#pragma once

#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"

namespace wascc::utf8 {

inline constexpr std::string_view kReplacementCharacter = "\xef\xbf\xbd";  // U+FFFD

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid(ByteView bytes);

// `text` with every byte that does not start a well-formed sequence replaced by U+FFFD (as
// decoders in browsers do), for reports that must be valid text (JUnit XML).
std::string sanitized(std::string_view text);

}  // namespace wascc::utf8
