// wascc:keyvalue in memory: every operation of the contract with the Redis provider's
// semantics (Push is LPUSH, Range is LRANGE with an inclusive stop and negative indexes, Add
// is INCRBY and creates the key, Get of a missing key answers exists: false), payloads in the
// actor codec. The default when no Redis URL is bound. Thread-safe; all bound actors share one
// store, as they share one Redis database.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "wascc/actors/capability_provider.h"
#include "wascc/providers/keyvalue_contract.h"

namespace wascc::keyvalue_memory {

class Store final : public keyvalue_contract::Store {
 public:
  Result<std::optional<std::string>> get(const std::string& key) override;
  Status set(const std::string& key, const std::string& value) override;
  Status del(const std::string& key) override;
  Result<bool> exists(const std::string& key) override;
  Result<int64_t> add(const std::string& key, int64_t delta) override;
  Result<int64_t> push(const std::string& key, const std::string& value) override;
  Result<std::vector<std::string>> range(const std::string& key, int64_t start, int64_t stop) override;
  Result<int64_t> remove_item(const std::string& key, const std::string& value) override;
  Result<int64_t> set_add(const std::string& key, const std::string& member) override;
  Result<int64_t> set_remove(const std::string& key, const std::string& member) override;
  Result<std::vector<std::string>> set_members(const std::string& key) override;
  Result<std::vector<std::string>> set_union(const std::vector<std::string>& keys) override;
  Result<std::vector<std::string>> set_intersection(const std::vector<std::string>& keys) override;

 private:
  struct Value {
    enum class Kind { String, List, Set } kind = Kind::String;
    std::string text;
    std::vector<std::string> list;  // head first
    std::set<std::string> members;
  };
  // The value at `key` if it is of `kind`, nullptr if there is none, WRONGTYPE otherwise.
  Result<Value*> find(const std::string& key, Value::Kind kind);
  Result<Value*> find_or_create(const std::string& key, Value::Kind kind);
  Result<std::vector<std::string>> combine_sets(const std::vector<std::string>& keys, bool intersect);

  std::mutex mutex_;
  std::map<std::string, Value> values_;
};

class Provider : public CapabilityProvider {
 public:
  std::string_view capability_id() const override { return keyvalue_contract::kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override { return std::vector<std::string_view>{}; }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;

 private:
  Store store_;
};

}  // namespace wascc::keyvalue_memory
