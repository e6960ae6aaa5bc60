// ASCII case folding for protocol names (HTTP header names, URL schemes and hosts), which are
// case-insensitive in ASCII only.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace wascc::ascii {

// Without leading and trailing spaces, tabs and line ends.
inline std::string_view trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

inline std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace wascc::ascii
