#include "wascc/testing/expectations.h"

#include <regex.h>

#include <cctype>
#include <cstdlib>

#include "wascc/actors/actor_codec.h"
#include "wascc/base/ascii.h"

namespace wascc::expectations {
namespace {

using Json = jwt::Json;

bool numbers_equal(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) return a.get<int64_t>() == b.get<int64_t>();
  return a.get<double>() == b.get<double>();
}

}  // namespace

std::string shown(const std::string& text) {
  std::string out = "'";
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

bool json_contains(const Json& value, const Json& subset) {
  if (subset.is_object()) {
    if (!value.is_object()) return false;
    for (const auto& [key, wanted] : subset.items()) {
      if (!value.contains(key) || !json_contains(value[key], wanted)) return false;
    }
    return true;
  }
  if (subset.is_array()) {
    if (!value.is_array() || value.size() < subset.size()) return false;
    for (size_t i = 0; i < subset.size(); ++i) {
      if (!json_contains(value[i], subset[i])) return false;
    }
    return true;
  }
  if (subset.is_number() && value.is_number()) return numbers_equal(value, subset);
  return value == subset;
}

std::optional<Json> body_as_json(const std::string& body) {
  if (auto text = json::parse(body)) return std::move(text.value());
  return actor_codec::readable_json(ByteView(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
}

// glibc's regcomp recurses once per nested group (30,000 '(' overflow the stack) and its
// regexec backtracks exponentially on back-references; counted repeats multiply the
// automaton's size. Patterns past these bounds are refused before regcomp sees them.
constexpr size_t kMaxPatternLength = 4096;
constexpr size_t kMaxGroupDepth = 64;
constexpr unsigned long kMaxRepeatCount = 1000;

std::optional<std::string> pattern_refused(const std::string& pattern) {
  if (pattern.size() > kMaxPatternLength) return "longer than " + std::to_string(kMaxPatternLength) + " characters";
  size_t depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      if (pattern[i + 1] >= '1' && pattern[i + 1] <= '9') return "back-references are not supported";
      ++i;
    } else if (c == '(' && ++depth > kMaxGroupDepth) {
      return "groups nested deeper than " + std::to_string(kMaxGroupDepth);
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (c == '{') {
      for (size_t j = i + 1; j < pattern.size() && pattern[j] != '}'; ++j) {
        if (std::isdigit(static_cast<unsigned char>(pattern[j])) && std::strtoul(pattern.c_str() + j, nullptr, 10) > kMaxRepeatCount) {
          return "a repeat count over " + std::to_string(kMaxRepeatCount);
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<Mismatch> regex_search(const std::string& what, const std::string& pattern, const std::string& text) {
  if (auto refused = pattern_refused(pattern)) {
    return Mismatch{what, "a regular expression within limits", shown(pattern) + " (" + *refused + ")"};
  }
  regex_t compiled;
  if (int error = regcomp(&compiled, pattern.c_str(), REG_EXTENDED | REG_NOSUB); error != 0) {
    char message[256];
    regerror(error, &compiled, message, sizeof message);
    return Mismatch{what, "a valid regular expression", shown(pattern) + " (" + message + ")"};
  }
  const bool found = regexec(&compiled, text.c_str(), 0, nullptr, 0) == 0;
  regfree(&compiled);
  if (found) return std::nullopt;
  return Mismatch{what, "matching /" + pattern + "/", shown(text)};
}

void check_body(const BodyExpectation& expected, const std::string& actual, std::vector<Mismatch>& out) {
  if (expected.exact && *expected.exact != actual) out.push_back({"body", shown(*expected.exact), shown(actual)});
  if (expected.regex) {
    if (auto mismatch = regex_search("body", *expected.regex, actual)) out.push_back(*mismatch);
  }
  if (expected.json_equal || expected.json_subset) {
    auto json = body_as_json(actual);
    if (!json) {
      out.push_back({"body", "JSON", shown(actual)});
      return;
    }
    if (expected.json_equal && !(json_contains(*json, *expected.json_equal) && json_contains(*expected.json_equal, *json))) {
      out.push_back({"body (JSON)", json::dump(*expected.json_equal), json::dump(*json)});
    }
    if (expected.json_subset && !json_contains(*json, *expected.json_subset)) {
      out.push_back({"body (JSON subset)", json::dump(*expected.json_subset), json::dump(*json)});
    }
  }
}

void check_headers(const std::map<std::string, std::string>& expected,
                   const std::multimap<std::string, std::string>& actual, std::vector<Mismatch>& out) {
  for (const auto& [name, value] : expected) {
    std::optional<std::string> found;
    for (const auto& [actual_name, actual_value] : actual) {
      if (ascii::lowercase(actual_name) == ascii::lowercase(name)) found = actual_value;
    }
    if (!found || *found != value) out.push_back({"headers." + ascii::lowercase(name), shown(value), found ? shown(*found) : "absent"});
  }
}

}  // namespace wascc::expectations
