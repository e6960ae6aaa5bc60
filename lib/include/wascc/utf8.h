// UTF-8 validation, for custom section names and token text.
#pragma once

#include "wascc/bytes_io.h"

namespace wascc::utf8 {

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid(ByteView bytes);

}  // namespace wascc::utf8
