// The comparisons `wascc test` makes, each reporting what differs as (what, expected,
// actual) so that reports can show them side by side.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "wascc/wascap/jwt.h"

namespace wascc::expectations {

struct Mismatch {
  std::string what;  // "status", "body", "headers.content-type", "host_calls[1]", ...
  std::string expected;
  std::string actual;
};

// Every key of `subset` is in `value` with a matching value (recursively); arrays match
// element by element up to the subset's length; scalars compare equal.
bool json_contains(const jwt::Json& value, const jwt::Json& subset);

// A reply body as JSON: JSON text, else a msgpack value (bin shown as text when UTF-8).
std::optional<jwt::Json> body_as_json(const std::string& body);

// POSIX extended regular expression search; an invalid pattern is reported as a mismatch.
std::optional<Mismatch> regex_search(const std::string& what, const std::string& pattern, const std::string& text);

struct BodyExpectation {
  std::optional<std::string> exact;
  std::optional<jwt::Json> json_equal;
  std::optional<std::string> regex;
  std::optional<jwt::Json> json_subset;
};
void check_body(const BodyExpectation& expected, const std::string& actual, std::vector<Mismatch>& out);

// Expected header names compare case-insensitively; values exactly.
void check_headers(const std::map<std::string, std::string>& expected,
                   const std::multimap<std::string, std::string>& actual, std::vector<Mismatch>& out);

// How a value appears in a report: text quoted, binary as escaped text.
std::string shown(const std::string& text);

}  // namespace wascc::expectations
