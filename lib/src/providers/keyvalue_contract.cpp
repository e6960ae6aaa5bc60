#include "wascc/providers/keyvalue_contract.h"

namespace wascc::keyvalue_contract {
namespace {

// Reply schemas as the Redis provider 0.8 answers: Clear replies a DelResponse, KeyExists a
// GetResponse with an empty value.
constexpr Operation kOperations[] = {
    {"Get", "GetRequest", "GetResponse"},          {"Set", "SetRequest", "SetResponse"},
    {"Del", "DelRequest", "DelResponse"},          {"Add", "AddRequest", "AddResponse"},
    {"Push", "ListPushRequest", "ListResponse"},   {"Range", "ListRangeRequest", "ListRangeResponse"},
    {"Clear", "ListClearRequest", "DelResponse"},  {"ListItemDelete", "ListDelItemRequest", "ListResponse"},
    {"SetAdd", "SetAddRequest", "ListResponse"},   {"SetRemove", "SetRemoveRequest", "ListResponse"},
    {"SetUnion", "SetUnionRequest", "SetQueryResponse"},
    {"SetIntersection", "SetIntersectionRequest", "SetQueryResponse"},
    {"SetQuery", "SetQueryRequest", "SetQueryResponse"},
    {"KeyExists", "KeyExistsQuery", "GetResponse"},
};

}  // namespace

const Operation* find_operation(std::string_view name) {
  for (const auto& operation : kOperations) {
    if (operation.name == name) return &operation;
  }
  return nullptr;
}

}  // namespace wascc::keyvalue_contract
