// wascc:http_client: PerformRequest sends the actor's Request (path = an absolute http:// or
// https:// URL, queryString appended) with cpp-httplib and answers the Response. Deny by
// default: the binding's ALLOWED_HOSTS lists the hosts ("host" or "host:port", comma-separated,
// or "*") the actor may reach, and every redirect target is checked again. Binding values
// `timeout` (seconds, default 30) and `max_redirects` (default 10), as upstream's provider.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "wascc/actors/capability_provider.h"

namespace wascc::http_client {

inline constexpr std::string_view kCapabilityId = "wascc:http_client";

struct Url {
  std::string scheme;  // http or https
  std::string host;
  int port = 0;
  std::string target;  // path and query, "/" at least
};
Result<Url> parse_url(std::string_view text);

// A redirect's Location against the URL that answered it (absolute, or a path).
Result<Url> resolve_location(const Url& base, std::string_view location);

struct Policy {
  std::vector<std::string> allowed_hosts;  // "host", "host:port" or "*"
  int timeout_seconds = 30;
  int max_redirects = 10;
  int max_response_bytes = 16 << 20;  // binding value max_response_bytes
  bool allows(const Url& url) const;
};
Result<Policy> policy_of(const BindingValues& values);

class Provider : public CapabilityProvider {
 public:
  std::string_view capability_id() const override { return kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override {
    return {{"ALLOWED_HOSTS", "timeout", "max_redirects", "max_response_bytes"}};
  }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;

 private:
  std::mutex mutex_;
  std::map<std::string, Policy> policies_;
};

}  // namespace wascc::http_client
