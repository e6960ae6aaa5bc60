// The wascc:keyvalue contract shared by its providers (in memory, Redis): one table of
// operations, each with the actor codec's schema names of its request and reply and a typed
// handler, over one Store interface that each provider implements. A provider finds the
// caller's store and calls handle_call; decoding, dispatch and encoding live here once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::keyvalue_contract {

inline constexpr std::string_view kCapabilityId = "wascc:keyvalue";

// The Redis data model the contract was written against: a key holds a string, a list (head
// first) or a set; an operation on a key of another kind fails with Redis's WRONGTYPE text.
class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::optional<std::string>> get(const std::string& key) = 0;          // GET
  virtual Status set(const std::string& key, const std::string& value) = 0;            // SET
  virtual Status del(const std::string& key) = 0;                                      // DEL
  virtual Result<bool> exists(const std::string& key) = 0;                             // EXISTS
  virtual Result<int64_t> add(const std::string& key, int64_t delta) = 0;              // INCRBY: the new value
  virtual Result<int64_t> push(const std::string& key, const std::string& value) = 0;  // LPUSH: the length
  // LRANGE: stop inclusive, negative indexes count from the end.
  virtual Result<std::vector<std::string>> range(const std::string& key, int64_t start, int64_t stop) = 0;
  virtual Result<int64_t> remove_item(const std::string& key, const std::string& value) = 0;     // LREM 0: removed
  virtual Result<int64_t> set_add(const std::string& key, const std::string& member) = 0;        // SADD: added
  virtual Result<int64_t> set_remove(const std::string& key, const std::string& member) = 0;     // SREM: removed
  virtual Result<std::vector<std::string>> set_members(const std::string& key) = 0;              // SMEMBERS
  virtual Result<std::vector<std::string>> set_union(const std::vector<std::string>& keys) = 0;  // SUNION
  virtual Result<std::vector<std::string>> set_intersection(const std::vector<std::string>& keys) = 0;  // SINTER
};

struct Operation {
  std::string_view name;
  std::string_view request;  // actor_codec schema names
  std::string_view reply;
};

// The operation called `name`, or nullptr.
const Operation* find_operation(std::string_view name);

// One call of the contract on `store`: the request decoded, the operation run, the reply
// encoded. An unknown operation or a malformed request is an input error.
Result<Bytes> handle_call(Store& store, std::string_view operation, ByteView payload);

}  // namespace wascc::keyvalue_contract
