// The wascc:keyvalue contract shared by its providers (in memory, Redis): each operation with
// the actor codec's schema names of its request and its reply.
#pragma once

#include <string_view>

namespace wascc::keyvalue_contract {

inline constexpr std::string_view kCapabilityId = "wascc:keyvalue";

struct Operation {
  std::string_view name;
  std::string_view request;  // actor_codec schema names
  std::string_view reply;
};

// The operation called `name`, or nullptr.
const Operation* find_operation(std::string_view name);

}  // namespace wascc::keyvalue_contract
