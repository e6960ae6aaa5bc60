// wascc:keyvalue on a real Redis server (hiredis), as wascc-redis 0.8 did: one connection per
// bound actor to the binding's URL (redis://[[user]:password@]host[:port][/db], default
// redis://0.0.0.0:6379/), every operation one Redis command (GET, SET, DEL, INCRBY, LPUSH,
// LRANGE, LREM, SADD, SREM, SUNION, SINTER, SMEMBERS, EXISTS). A dropped connection is
// re-opened once per call.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wascc/actors/capability_provider.h"
#include "wascc/providers/keyvalue_contract.h"

namespace wascc::keyvalue_redis {

struct RedisUrl {
  std::string host = "0.0.0.0";
  int port = 6379;
  int database = 0;
  std::string username;  // Redis 6 ACL user, with a password
  std::string password;
};
Result<RedisUrl> parse_url(std::string_view url);

class Provider : public CapabilityProvider {
 public:
  Provider();
  ~Provider() override;
  std::string_view capability_id() const override { return keyvalue_contract::kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override { return {{"URL"}}; }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;
  void stop() override;

 private:
  class Connection;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Connection>> connections_;
};

}  // namespace wascc::keyvalue_redis
