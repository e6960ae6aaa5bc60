// Capability contract ids and the names people know them by.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wascc::capabilities {

// Display name of a well-known contract id of any era (waSCC "wascc:", 2019 "wascap:",
// wasmCloud "wasmcloud:"), or nullopt for an unknown id (shown verbatim).
std::optional<std::string_view> friendly_name(std::string_view contract_id);

// "HTTP Server" for a known id, the id itself otherwise.
std::string display_name(std::string_view contract_id);

// The waSCC shorthand flags of the signer (wash 0.x style), each with its contract id.
struct Shorthand {
  std::string_view flag;         // long flag name, e.g. "keyvalue"
  std::string_view short_flag;   // single letter or empty
  std::string_view contract_id;  // e.g. "wascc:keyvalue"
};
const std::vector<Shorthand>& waSCC_shorthands();

}  // namespace wascc::capabilities
