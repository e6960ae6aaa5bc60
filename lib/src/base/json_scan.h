// Private to lib/: a fast check that text is JSON, for text passed on as text (a policy's input,
// checked on every decision). nlohmann's SAX reader takes ~8 ns a byte, as long as the
// policy's own evaluation; this scan takes about one. It accepts a subset of what nlohmann
// accepts (RFC 8259 exactly; nlohmann also stops at a NUL byte), so json::validate asks nlohmann
// only when the scan says no, for nlohmann's verdict and its error message.
#pragma once

#include <cstddef>
#include <string_view>

namespace wascc::json_scan {

// Whether `text` is one JSON value nested at most `max_depth` deep, with whitespace around it,
// strings of well-formed UTF-8 and paired \u surrogates. Iterative: no recursion on nesting.
bool is_json(std::string_view text, size_t max_depth);

}  // namespace wascc::json_scan
