#include "wascc/wascap/capabilities.h"

#include <utility>

namespace wascc::capabilities {
namespace {

constexpr std::pair<std::string_view, std::string_view> kKnown[] = {
    {"wascc:messaging", "Messaging"},
    {"wascc:keyvalue", "K/V Store"},
    {"wascc:http_server", "HTTP Server"},
    {"wascc:http_client", "HTTP Client"},
    {"wascc:blobstore", "Blob Store"},
    {"wascc:eventstreams", "Event Streams"},
    {"wascc:extras", "Extras"},
    {"wascc:logging", "Logging"},
    {"wascap:messaging", "Messaging"},
    {"wascap:keyvalue", "K/V Store"},
    {"wascap:http_server", "HTTP Server"},
    {"wascap:http_client", "HTTP Client"},
    {"wascap:blobstore", "Blob Store"},
    {"wascap:eventstreams", "Event Streams"},
    {"wascap:extras", "Extras"},
    {"wascap:logging", "Logging"},
    {"wasmcloud:messaging", "Messaging"},
    {"wasmcloud:keyvalue", "K/V Store"},
    {"wasmcloud:httpserver", "HTTP Server"},
    {"wasmcloud:httpclient", "HTTP Client"},
    {"wasmcloud:blobstore", "Blob Store"},
    {"wasmcloud:eventstreams", "Event Streams"},
    {"wasmcloud:extras", "Extras"},
    {"wasmcloud:logging", "Logging"},
    {"wasmcloud:builtin:numbergen", "Number Generation"},
    {"wasmcloud:builtin:logging", "Logging"},
};

}  // namespace

std::optional<std::string_view> friendly_name(std::string_view contract_id) {
  for (const auto& [id, name] : kKnown) {
    if (id == contract_id) return name;
  }
  return std::nullopt;
}

std::string display_name(std::string_view contract_id) {
  auto name = friendly_name(contract_id);
  return std::string(name ? *name : contract_id);
}

const std::vector<Shorthand>& waSCC_shorthands() {
  static const std::vector<Shorthand> kShorthands = {
      {"keyvalue", "k", "wascc:keyvalue"},       {"msg", "g", "wascc:messaging"},
      {"http_server", "q", "wascc:http_server"}, {"http_client", "", "wascc:http_client"},
      {"blob_store", "f", "wascc:blobstore"},    {"extras", "z", "wascc:extras"},
      {"logging", "l", "wascc:logging"},         {"events", "e", "wascc:eventstreams"},
  };
  return kShorthands;
}

}  // namespace wascc::capabilities
