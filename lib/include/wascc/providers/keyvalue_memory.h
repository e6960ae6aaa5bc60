// wascc:keyvalue in memory: every operation of the contract with the Redis provider's
// semantics (Push is LPUSH, Range is LRANGE with an inclusive stop and negative indexes, Add
// is INCRBY and creates the key, Get of a missing key answers exists: false), payloads in the
// actor codec. The default when no Redis URL is bound. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "wascc/actors/capability_provider.h"

namespace wascc::keyvalue_memory {

inline constexpr std::string_view kCapabilityId = "wascc:keyvalue";

class Provider : public CapabilityProvider {
 public:
  std::string_view capability_id() const override { return kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override { return std::vector<std::string_view>{}; }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;

 private:
  struct Value {
    enum class Kind { String, List, Set } kind = Kind::String;
    std::string text;
    std::vector<std::string> list;  // head first
    std::set<std::string> members;
  };
  std::mutex mutex_;
  std::map<std::string, Value> store_;
};

}  // namespace wascc::keyvalue_memory
