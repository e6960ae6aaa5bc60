#include "wascc/expectations.h"

#include <regex.h>

#include <cctype>

#include "wascc/actor_codec.h"
#include "wascc/ascii.h"

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
  auto text = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!text.is_discarded()) return text;
  return actor_codec::readable_json(ByteView(reinterpret_cast<const uint8_t*>(body.data()), body.size()));
}

std::optional<Mismatch> regex_search(const std::string& what, const std::string& pattern, const std::string& text) {
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
      out.push_back({"body (JSON)", expected.json_equal->dump(), json->dump()});
    }
    if (expected.json_subset && !json_contains(*json, *expected.json_subset)) {
      out.push_back({"body (JSON subset)", expected.json_subset->dump(), json->dump()});
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
