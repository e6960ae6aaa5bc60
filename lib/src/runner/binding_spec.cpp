#include "wascc/runner/binding_spec.h"

namespace wascc::binding_spec {
namespace {

Result<std::string> percent_decoded(std::string_view text, std::string_view whole) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return input_error("--bind '" + std::string(whole) + "': incomplete %-escape");
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int high = hex(text[i + 1]), low = hex(text[i + 2]);
    if (high < 0 || low < 0) return input_error("--bind '" + std::string(whole) + "': bad %-escape");
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

}  // namespace

Result<Binding> parse(std::string_view text) {
  Binding binding;
  const size_t query = text.find('?');
  std::string_view head = text.substr(0, query);
  const size_t at = head.find('@');
  binding.capability_id = std::string(head.substr(0, at));
  if (at != std::string_view::npos) binding.name = std::string(head.substr(at + 1));
  if (binding.capability_id.empty() || binding.capability_id.find(':') == std::string::npos) {
    return input_error("--bind '" + std::string(text) +
                       "': expected CAPID[@BINDING][?KEY=VALUE&...], e.g. wascc:keyvalue");
  }
  if (binding.name.empty()) return input_error("--bind '" + std::string(text) + "': empty binding name after '@'");
  if (query == std::string_view::npos) return binding;
  std::string_view rest = text.substr(query + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    const size_t equals = pair.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return input_error("--bind '" + std::string(text) + "': expected KEY=VALUE, got '" + std::string(pair) + "'");
    }
    auto key = percent_decoded(pair.substr(0, equals), text);
    auto value = percent_decoded(pair.substr(equals + 1), text);
    if (!key) return key.error();
    if (!value) return value.error();
    binding.values[*key] = *value;
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  return binding;
}

}  // namespace wascc::binding_spec
