// The JSON type every subsystem uses, and the one way to parse JSON from outside: with a
// nesting limit (nlohmann's parser is iterative, but dumping, comparing and every walk over
// the value recurse, so a 100,000-deep document from a hostile peer would overflow the stack
// later) and, for claims, refusing duplicate keys instead of letting the last one win.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc {

// Insertion-ordered, so claims and reports print in the order they were written.
using Json = nlohmann::ordered_json;

namespace json {

// Deep enough for any real document (OPA inputs, manifests, claims nest tens of levels);
// shallow enough that recursive walks stay far from a thread's stack limit.
inline constexpr size_t kDefaultMaxDepth = 1000;

struct ParseOptions {
  size_t max_depth = kDefaultMaxDepth;
  bool reject_duplicate_keys = false;
};

// Parses `text` as one JSON value. Errors (kind Input) say what is wrong without a prefix:
// "syntax error at byte 12: ...", "nesting deeper than 1000 levels", "duplicate key \"exp\"".
Result<Json> parse(std::string_view text, const ParseOptions& options = {});

// Checks that `text` is one JSON value within the depth limit without building it (text that
// is passed on as text: a policy's input and data, which the policy parses itself).
Status validate(std::string_view text, size_t max_depth = kDefaultMaxDepth);

// Puts bytes from outside (a guest's reply) into `object` losslessly: as text under `key`
// when they are UTF-8, else as standard base64 under `key` + "_base64".
void put_bytes(Json& object, const std::string& key, ByteView bytes);

// The string at `key` of `object`, or "" when `object` is not an object or the value is absent
// or not a string. For documents from outside: nlohmann's value(key, default) throws when the
// value has another type, and an exception on a reader thread ends the process.
std::string text_field(const Json& object, std::string_view key);

// Serializes `value`; bytes that are not UTF-8 (a guest's binary reply put in a string)
// become U+FFFD instead of throwing.
std::string dump(const Json& value, int indent = -1);

}  // namespace json
}  // namespace wascc
