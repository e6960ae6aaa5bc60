#include "wascc/providers/keyvalue_memory.h"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace wascc::keyvalue_memory {
namespace {

Error wrong_type(const std::string& key) {
  return input_error("WRONGTYPE Operation against a key holding the wrong kind of value: " + key);
}

}  // namespace

Result<Store::Value*> Store::find(const std::string& key, Value::Kind kind) {
  auto found = values_.find(key);
  if (found == values_.end()) return static_cast<Value*>(nullptr);
  if (found->second.kind != kind) return wrong_type(key);
  return &found->second;
}

Result<Store::Value*> Store::find_or_create(const std::string& key, Value::Kind kind) {
  auto existing = find(key, kind);
  if (!existing || *existing != nullptr) return existing;
  Value& value = values_[key];
  value.kind = kind;
  return &value;
}

Result<std::optional<std::string>> Store::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto value = find(key, Value::Kind::String);
  if (!value) return value.error();
  if (*value == nullptr) return std::optional<std::string>();
  return std::optional<std::string>((*value)->text);
}

Status Store::set(const std::string& key, const std::string& value) {
  std::lock_guard lock(mutex_);
  values_[key] = Value{Value::Kind::String, value, {}, {}};
  return ok_status();
}

Status Store::del(const std::string& key) {
  std::lock_guard lock(mutex_);
  values_.erase(key);
  return ok_status();
}

Result<bool> Store::exists(const std::string& key) {
  std::lock_guard lock(mutex_);
  return values_.count(key) != 0;
}

Result<int64_t> Store::add(const std::string& key, int64_t delta) {
  std::lock_guard lock(mutex_);
  auto value = find_or_create(key, Value::Kind::String);
  if (!value) return value.error();
  int64_t current = 0;
  const std::string& text = (*value)->text;
  if (!text.empty()) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), current);
    if (error != std::errc() || end != text.data() + text.size())
      return input_error("ERR value is not an integer or out of range");
  }
  if (__builtin_add_overflow(current, delta, &current)) return input_error("ERR increment or decrement would overflow");
  (*value)->text = std::to_string(current);
  return current;
}

Result<int64_t> Store::push(const std::string& key, const std::string& item) {
  std::lock_guard lock(mutex_);
  auto value = find_or_create(key, Value::Kind::List);
  if (!value) return value.error();
  auto& list = (*value)->list;
  list.insert(list.begin(), item);
  return static_cast<int64_t>(list.size());
}

Result<std::vector<std::string>> Store::range(const std::string& key, int64_t start, int64_t stop) {
  std::lock_guard lock(mutex_);
  auto value = find(key, Value::Kind::List);
  if (!value) return value.error();
  std::vector<std::string> items;
  if (*value == nullptr) return items;
  const auto& list = (*value)->list;
  const auto size = static_cast<int64_t>(list.size());
  if (start < 0) start = std::max<int64_t>(0, size + start);
  if (stop < 0) stop = size + stop;
  stop = std::min(stop, size - 1);
  for (int64_t i = start; i <= stop; ++i) items.push_back(list[static_cast<size_t>(i)]);
  return items;
}

Result<int64_t> Store::remove_item(const std::string& key, const std::string& item) {
  std::lock_guard lock(mutex_);
  auto value = find(key, Value::Kind::List);
  if (!value) return value.error();
  if (*value == nullptr) return int64_t{0};
  auto& list = (*value)->list;
  const auto before = list.size();
  list.erase(std::remove(list.begin(), list.end(), item), list.end());
  const auto removed = static_cast<int64_t>(before - list.size());
  if (list.empty()) values_.erase(key);  // Redis drops an emptied key
  return removed;
}

Result<int64_t> Store::set_add(const std::string& key, const std::string& member) {
  std::lock_guard lock(mutex_);
  auto value = find_or_create(key, Value::Kind::Set);
  if (!value) return value.error();
  return static_cast<int64_t>((*value)->members.insert(member).second);
}

Result<int64_t> Store::set_remove(const std::string& key, const std::string& member) {
  std::lock_guard lock(mutex_);
  auto value = find(key, Value::Kind::Set);
  if (!value) return value.error();
  if (*value == nullptr) return int64_t{0};
  const auto removed = static_cast<int64_t>((*value)->members.erase(member));
  if ((*value)->members.empty()) values_.erase(key);
  return removed;
}

Result<std::vector<std::string>> Store::set_members(const std::string& key) { return combine_sets({key}, false); }
Result<std::vector<std::string>> Store::set_union(const std::vector<std::string>& keys) {
  return combine_sets(keys, false);
}
Result<std::vector<std::string>> Store::set_intersection(const std::vector<std::string>& keys) {
  return combine_sets(keys, true);
}

Result<std::vector<std::string>> Store::combine_sets(const std::vector<std::string>& keys, bool intersect) {
  std::lock_guard lock(mutex_);
  std::set<std::string> result;
  for (size_t i = 0; i < keys.size(); ++i) {
    auto value = find(keys[i], Value::Kind::Set);
    if (!value) return value.error();
    const std::set<std::string> none;
    const auto& members = *value != nullptr ? (*value)->members : none;
    if (!intersect || i == 0) {
      result.insert(members.begin(), members.end());
    } else {
      std::set<std::string> both;
      std::set_intersection(result.begin(), result.end(), members.begin(), members.end(),
                            std::inserter(both, both.end()));
      result = std::move(both);
    }
  }
  return std::vector<std::string>(result.begin(), result.end());
}

Status Provider::bind_actor(const std::string&, const BindingValues&) { return ok_status(); }
void Provider::remove_actor(const std::string&) {}

Result<Bytes> Provider::handle_call(const std::string&, std::string_view operation, ByteView payload) {
  return keyvalue_contract::handle_call(store_, operation, payload);
}

}  // namespace wascc::keyvalue_memory
