#include "wascc/testing/expectations.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cctype>
#include <cstdlib>
#include <memory>

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

namespace {

// body_regex is PCRE2 (Perl-compatible, what `grep -P`, nginx and most test tools take), with
// bounds: a pattern's size, its nesting and counted repeats are checked before it compiles
// (repeats multiply the compiled code), and each match may take at most kMatchLimit steps
// and kDepthLimit of backtracking memory, so a catastrophic pattern fails fast, never hangs.
constexpr size_t kMaxPatternLength = 4096;
constexpr size_t kMaxGroupDepth = 64;
constexpr unsigned long kMaxRepeatCount = 1000;
constexpr uint32_t kMatchLimit = 10'000'000;
constexpr uint32_t kDepthLimit = 10'000;

std::optional<std::string> pattern_refused(const std::string& pattern) {
  if (pattern.size() > kMaxPatternLength) return "longer than " + std::to_string(kMaxPatternLength) + " characters";
  size_t depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      ++i;
    } else if (c == '(' && ++depth > kMaxGroupDepth) {
      return "groups nested deeper than " + std::to_string(kMaxGroupDepth);
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (c == '{') {
      for (size_t j = i + 1; j < pattern.size() && pattern[j] != '}'; ++j) {
        if (std::isdigit(static_cast<unsigned char>(pattern[j])) &&
            std::strtoul(pattern.c_str() + j, nullptr, 10) > kMaxRepeatCount) {
          return "a repeat count over " + std::to_string(kMaxRepeatCount);
        }
      }
    }
  }
  return std::nullopt;
}

std::string pcre2_message(int code) {
  PCRE2_UCHAR text[256];
  if (pcre2_get_error_message(code, text, sizeof text) < 0) return "error " + std::to_string(code);
  return reinterpret_cast<const char*>(text);
}

}  // namespace

std::optional<Mismatch> regex_search(const std::string& what, const std::string& pattern, const std::string& text) {
  if (auto refused = pattern_refused(pattern)) {
    return Mismatch{what, "a regular expression within limits", shown(pattern) + " (" + *refused + ")"};
  }
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  std::unique_ptr<pcre2_code, decltype(&pcre2_code_free)> code(
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), 0, &error, &error_offset, nullptr),
      pcre2_code_free);
  if (!code) {
    return Mismatch{what, "a valid regular expression",
                    shown(pattern) + " (" + pcre2_message(error) + " at offset " + std::to_string(error_offset) + ")"};
  }
  std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
      pcre2_match_data_create_from_pattern(code.get(), nullptr), pcre2_match_data_free);
  std::unique_ptr<pcre2_match_context, decltype(&pcre2_match_context_free)> limits(pcre2_match_context_create(nullptr),
                                                                                   pcre2_match_context_free);
  if (!match || !limits)
    return Mismatch{what, "a regular expression within limits", shown(pattern) + " (out of memory)"};
  pcre2_set_match_limit(limits.get(), kMatchLimit);
  pcre2_set_depth_limit(limits.get(), kDepthLimit);
  const int found =
      pcre2_match(code.get(), reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0, match.get(), limits.get());
  if (found >= 0) return std::nullopt;
  if (found != PCRE2_ERROR_NOMATCH) {
    return Mismatch{what, "a regular expression within limits", shown(pattern) + " (" + pcre2_message(found) + ")"};
  }
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
    if (expected.json_equal &&
        !(json_contains(*json, *expected.json_equal) && json_contains(*expected.json_equal, *json))) {
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
    if (!found || *found != value)
      out.push_back({"headers." + ascii::lowercase(name), shown(value), found ? shown(*found) : "absent"});
  }
}

}  // namespace wascc::expectations
