#include "wascc/providers/keyvalue_contract.h"

#include "wascc/actors/actor_codec.h"

namespace wascc::keyvalue_contract {
namespace {

using Json = jwt::Json;
using Handler = Result<Json> (*)(Store& store, const Json& in);

std::string key_of(const Json& in) { return in.value("key", std::string()); }
std::string value_of(const Json& in) { return in.value("value", std::string()); }
std::vector<std::string> keys_of(const Json& in) { return in.value("keys", std::vector<std::string>{}); }

// The reply a store's result becomes, under the field name of the reply schema.
template <typename T>
Result<Json> reply_with(const char* field, Result<T> result) {
  if (!result) return result.error();
  return Json{{field, std::move(*result)}};
}

Result<Json> get(Store& store, const Json& in) {
  auto value = store.get(key_of(in));
  if (!value) return value.error();
  return Json{{"value", value->value_or("")}, {"exists", value->has_value()}};
}
Result<Json> key_exists(Store& store, const Json& in) {  // upstream answers a GetResponse
  auto exists = store.exists(key_of(in));
  if (!exists) return exists.error();
  return Json{{"value", ""}, {"exists", *exists}};
}
Result<Json> set(Store& store, const Json& in) {
  if (auto done = store.set(key_of(in), value_of(in)); !done) return done.error();
  return Json{{"value", value_of(in)}};
}
Result<Json> del(Store& store, const Json& in) {  // Del and Clear: both a DelResponse
  if (auto done = store.del(key_of(in)); !done) return done.error();
  return Json{{"key", key_of(in)}};
}
Result<Json> add(Store& store, const Json& in) {
  auto sum = store.add(key_of(in), in.value("value", int64_t{0}));
  if (sum && (*sum < INT32_MIN || *sum > INT32_MAX)) return input_error("ERR increment or decrement would overflow");
  return reply_with("value", std::move(sum));
}
Result<Json> push(Store& store, const Json& in) { return reply_with("newCount", store.push(key_of(in), value_of(in))); }
Result<Json> range(Store& store, const Json& in) {
  return reply_with("values", store.range(key_of(in), in.value("start", int64_t{0}), in.value("stop", int64_t{0})));
}
Result<Json> remove_item(Store& store, const Json& in) {
  return reply_with("newCount", store.remove_item(key_of(in), value_of(in)));
}
Result<Json> set_add(Store& store, const Json& in) {
  return reply_with("newCount", store.set_add(key_of(in), value_of(in)));
}
Result<Json> set_remove(Store& store, const Json& in) {
  return reply_with("newCount", store.set_remove(key_of(in), value_of(in)));
}
Result<Json> set_query(Store& store, const Json& in) { return reply_with("values", store.set_members(key_of(in))); }
Result<Json> set_union(Store& store, const Json& in) { return reply_with("values", store.set_union(keys_of(in))); }
Result<Json> set_intersection(Store& store, const Json& in) {
  return reply_with("values", store.set_intersection(keys_of(in)));
}

struct Entry {
  Operation operation;
  Handler handler;
};

// Reply schemas as the Redis provider 0.8 answers: Clear replies a DelResponse, KeyExists a
// GetResponse with an empty value.
constexpr Entry kOperations[] = {
    {{"Get", "GetRequest", "GetResponse"}, get},
    {{"Set", "SetRequest", "SetResponse"}, set},
    {{"Del", "DelRequest", "DelResponse"}, del},
    {{"Add", "AddRequest", "AddResponse"}, add},
    {{"Push", "ListPushRequest", "ListResponse"}, push},
    {{"Range", "ListRangeRequest", "ListRangeResponse"}, range},
    {{"Clear", "ListClearRequest", "DelResponse"}, del},
    {{"ListItemDelete", "ListDelItemRequest", "ListResponse"}, remove_item},
    {{"SetAdd", "SetAddRequest", "ListResponse"}, set_add},
    {{"SetRemove", "SetRemoveRequest", "ListResponse"}, set_remove},
    {{"SetUnion", "SetUnionRequest", "SetQueryResponse"}, set_union},
    {{"SetIntersection", "SetIntersectionRequest", "SetQueryResponse"}, set_intersection},
    {{"SetQuery", "SetQueryRequest", "SetQueryResponse"}, set_query},
    {{"KeyExists", "KeyExistsQuery", "GetResponse"}, key_exists},
};

const Entry* find_entry(std::string_view name) {
  for (const auto& entry : kOperations) {
    if (entry.operation.name == name) return &entry;
  }
  return nullptr;
}

}  // namespace

const Operation* find_operation(std::string_view name) {
  const Entry* entry = find_entry(name);
  return entry != nullptr ? &entry->operation : nullptr;
}

Result<Bytes> handle_call(Store& store, std::string_view operation, ByteView payload) {
  const Entry* entry = find_entry(operation);
  if (entry == nullptr) return input_error("wascc:keyvalue has no operation " + std::string(operation));
  auto request = actor_codec::decode(*actor_codec::find_schema(entry->operation.request), payload);
  if (!request) return request.error();
  auto reply = entry->handler(store, *request);
  if (!reply) return reply.error();
  return actor_codec::encode(*actor_codec::find_schema(entry->operation.reply), *reply);
}

}  // namespace wascc::keyvalue_contract
