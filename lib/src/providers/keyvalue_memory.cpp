#include "wascc/providers/keyvalue_memory.h"

#include <algorithm>
#include <charconv>
#include <functional>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/keyvalue_contract.h"

namespace wascc::keyvalue_memory {
namespace {

using Json = jwt::Json;

Error wrong_type(const std::string& key) {
  return input_error("WRONGTYPE Operation against a key holding the wrong kind of value: " + key);
}

std::vector<std::string> as_list(const std::set<std::string>& members) {
  return std::vector<std::string>(members.begin(), members.end());
}

}  // namespace

Status Provider::bind_actor(const std::string&, const BindingValues&) { return ok_status(); }
void Provider::remove_actor(const std::string&) {}

Result<Bytes> Provider::handle_call(const std::string&, std::string_view operation, ByteView payload) {
  const auto* op = keyvalue_contract::find_operation(operation);
  if (op == nullptr) return input_error("wascc:keyvalue has no operation " + std::string(operation));
  auto request = actor_codec::decode(*actor_codec::find_schema(op->request), payload);
  if (!request) return request.error();
  const Json& in = *request;
  Json out = Json::object();
  std::lock_guard lock(mutex_);

  auto find = [&](const std::string& key, Value::Kind kind) -> Result<Value*> {
    auto found = store_.find(key);
    if (found == store_.end()) return static_cast<Value*>(nullptr);
    if (found->second.kind != kind) return wrong_type(key);
    return &found->second;
  };
  auto create = [&](const std::string& key, Value::Kind kind) -> Result<Value*> {
    auto existing = find(key, kind);
    if (!existing) return existing.error();
    if (*existing != nullptr) return *existing;
    Value& value = store_[key];
    value.kind = kind;
    return &value;
  };
  const std::string key = in.value("key", std::string());
  const std::string name(op->name);

  if (name == "Get" || name == "KeyExists") {
    auto found = store_.find(key);
    if (name == "Get" && found != store_.end() && found->second.kind != Value::Kind::String) return wrong_type(key);
    out["value"] = found != store_.end() && name == "Get" ? found->second.text : "";
    out["exists"] = found != store_.end();
  } else if (name == "Set") {
    store_[key] = Value{Value::Kind::String, in["value"].get<std::string>(), {}, {}};
    out["value"] = in["value"];
  } else if (name == "Del" || name == "Clear") {
    store_.erase(key);
    out["key"] = key;
  } else if (name == "Add") {
    auto value = create(key, Value::Kind::String);
    if (!value) return value.error();
    int64_t current = 0;
    const std::string& text = (*value)->text;
    if (!text.empty()) {
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), current);
      if (error != std::errc() || end != text.data() + text.size()) {
        return input_error("ERR value is not an integer or out of range");
      }
    }
    current += in["value"].get<int64_t>();
    if (current < INT32_MIN || current > INT32_MAX) return input_error("ERR increment or decrement would overflow");
    (*value)->text = std::to_string(current);
    out["value"] = current;
  } else if (name == "Push") {
    auto list = create(key, Value::Kind::List);
    if (!list) return list.error();
    (*list)->list.insert((*list)->list.begin(), in["value"].get<std::string>());
    out["newCount"] = static_cast<int64_t>((*list)->list.size());
  } else if (name == "Range") {
    auto list = find(key, Value::Kind::List);
    if (!list) return list.error();
    Json values = Json::array();
    if (*list != nullptr) {
      const auto size = static_cast<int64_t>((*list)->list.size());
      int64_t start = in["start"].get<int64_t>(), stop = in["stop"].get<int64_t>();
      if (start < 0) start = std::max<int64_t>(0, size + start);
      if (stop < 0) stop = size + stop;
      stop = std::min(stop, size - 1);
      for (int64_t i = start; i <= stop; ++i) values.push_back((*list)->list[static_cast<size_t>(i)]);
    }
    out["values"] = values;
  } else if (name == "ListItemDelete") {
    auto list = find(key, Value::Kind::List);
    if (!list) return list.error();
    int64_t removed = 0;
    if (*list != nullptr) {
      auto& items = (*list)->list;
      const auto before = items.size();
      items.erase(std::remove(items.begin(), items.end(), in["value"].get<std::string>()), items.end());
      removed = static_cast<int64_t>(before - items.size());
      if (items.empty()) store_.erase(key);
    }
    out["newCount"] = removed;
  } else if (name == "SetAdd" || name == "SetRemove") {
    auto set = name == "SetAdd" ? create(key, Value::Kind::Set) : find(key, Value::Kind::Set);
    if (!set) return set.error();
    int64_t changed = 0;
    if (*set != nullptr) {
      const std::string member = in["value"].get<std::string>();
      changed = name == "SetAdd" ? (*set)->members.insert(member).second : static_cast<int64_t>((*set)->members.erase(member));
      if ((*set)->members.empty()) store_.erase(key);
    }
    out["newCount"] = changed;
  } else if (name == "SetQuery") {
    auto set = find(key, Value::Kind::Set);
    if (!set) return set.error();
    out["values"] = *set != nullptr ? as_list((*set)->members) : std::vector<std::string>{};
  } else {  // SetUnion, SetIntersection
    std::set<std::string> result;
    bool first = true;
    for (const auto& each : in["keys"]) {
      auto set = find(each.get<std::string>(), Value::Kind::Set);
      if (!set) return set.error();
      std::set<std::string> members = *set != nullptr ? (*set)->members : std::set<std::string>{};
      if (name == "SetUnion" || first) {
        result.insert(members.begin(), members.end());
      } else {
        std::set<std::string> both;
        std::set_intersection(result.begin(), result.end(), members.begin(), members.end(), std::inserter(both, both.end()));
        result = std::move(both);
      }
      first = false;
    }
    out["values"] = as_list(result);
  }
  return actor_codec::encode(*actor_codec::find_schema(op->reply), out);
}

}  // namespace wascc::keyvalue_memory
