// wascc:http_server: one real HTTP server per bound actor (http_listener.h), every method and path
// delivered to the actor as HandleRequest, as wascc-httpsrv 0.8 did. Binding values: PORT
// (default 8080) and ADDRESS, the address to listen on — loopback (127.0.0.1) by default where
// upstream listened on every interface. An actor error answers 500 "Failed to handle request"
// as upstream did, except a call past its deadline (504) and one that found every instance of
// the actor busy for its timeout (503 with Retry-After).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "wascc/actors/capability_provider.h"
#include "wascc/providers/http_listener.h"

namespace wascc::http_server {

inline constexpr std::string_view kCapabilityId = "wascc:http_server";

// One answered request, for access logs and metrics.
struct AccessRecord {
  std::string_view method, target, actor;
  int status = 0;
  size_t response_bytes = 0;
  std::chrono::microseconds elapsed{};  // the actor's part: encode, call, decode
};
using AccessLog = std::function<void(const AccessRecord&)>;

class Provider : public CapabilityProvider {
 public:
  // `notice` hears where each server listens ("http://127.0.0.1:8080 -> M...") and its errors;
  // `access`, when set, every request once answered (on the serving thread).
  using Notice = std::function<void(const std::string& line)>;
  explicit Provider(Notice notice = {}, AccessLog access = {});
  ~Provider() override;

  std::string_view capability_id() const override { return kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override { return {{"PORT", "ADDRESS"}}; }
  Status bind_actor(const std::string& actor, const BindingValues& values) override;
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;
  void set_dispatcher(ActorDispatcher dispatcher) override { dispatcher_ = std::move(dispatcher); }
  void stop() override;

  // The port an actor's server listens on (PORT=0 picks a free one), or 0.
  int port_of(const std::string& actor);

 private:
  HttpResponse answer(const std::string& actor, HttpRequest& request);
  HttpResponse answer_and_log(const std::string& actor, HttpRequest& request);
  Notice notice_;
  AccessLog access_;
  ActorDispatcher dispatcher_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<HttpListener>> servers_;
};

}  // namespace wascc::http_server
