#include "wascc/wascap/revocation_list.h"

#include "wascc/base/ascii.h"
#include "wascc/base/bytes_io.h"
#include "wascc/base/json.h"

namespace wascc::revocation_list {
namespace {

constexpr size_t kMaxBytes = 64u << 20;  // millions of entries; a list is read whole

// An entry is one token: a key or a jti never holds spaces, so a line that does is a mistake
// (two ids on a line, a pasted sentence) rather than an id.
Status check_entry(std::string_view entry, const std::string& where) {
  if (entry.find_first_of(" \t\"',") != std::string_view::npos) {
    return input_error(where + ": \"" + std::string(entry) + "\" is not a subject or token id (one per line)");
  }
  return ok_status();
}

Result<std::vector<std::string>> parse_json(std::string_view text, const std::string& source) {
  auto document = json::parse(text);
  if (!document) return input_error(source + ": not JSON: " + document.error().message);
  const Json* list = &*document;
  if (document->is_object()) {
    auto found = document->find("revoked");
    if (found == document->end())
      return input_error(source + ": a JSON revocation list is an array, or an object with \"revoked\"");
    list = &*found;
  }
  if (!list->is_array()) return input_error(source + ": \"revoked\" must be an array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& item = (*list)[i];
    const std::string where = source + ": [" + std::to_string(i) + "]";
    if (!item.is_string()) return input_error(where + ": expected a string");
    if (auto ok = check_entry(item.get<std::string>(), where); !ok) return ok.error();
    out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> parse(std::string_view text, const std::string& source) {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && (text[start] == '[' || text[start] == '{')) return parse_json(text, source);
  std::vector<std::string> out;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (const auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    const std::string entry(ascii::trim(line));
    if (entry.empty()) continue;
    if (auto ok = check_entry(entry, source + ":" + std::to_string(line_number)); !ok) return ok.error();
    out.push_back(entry);
  }
  return out;
}

Result<std::vector<std::string>> read(const std::string& path) {
  auto bytes = read_file_or_stdin(path, {.max_bytes = kMaxBytes});
  if (!bytes) return bytes.error();
  return parse(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()),
               path == "-" ? "<stdin>" : path);
}

}  // namespace wascc::revocation_list
