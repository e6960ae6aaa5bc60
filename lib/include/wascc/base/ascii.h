// ASCII case folding for protocol names (HTTP header names, URL schemes and hosts), which are
// case-insensitive in ASCII only.
#pragma once

#include <cctype>
#include <string>

namespace wascc::ascii {

inline std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace wascc::ascii
