// The small built-in capabilities of the waSCC host: wascc:extras (always present, bound to
// every actor whose claims list it) and wascc:logging.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "wascc/actors/capability_provider.h"

namespace wascc::builtin_providers {

// wascc:extras: RequestGuid (a UUID v4), RequestRandom (uniform in [min, max); min >= max is
// an error, where upstream's host panicked), RequestSequence (per actor, first value 0).
class Extras : public CapabilityProvider {
 public:
  static constexpr std::string_view kCapabilityId = "wascc:extras";
  std::string_view capability_id() const override { return kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override { return std::vector<std::string_view>{}; }
  Status bind_actor(const std::string&, const BindingValues&) override { return ok_status(); }
  void remove_actor(const std::string& actor) override;
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;

 private:
  std::mutex mutex_;
  std::map<std::string, uint64_t> sequences_;
};

// wascc:logging: WriteLog {level 1 error .. 5 trace, body} to the sink as "[actor] body".
class Logging : public CapabilityProvider {
 public:
  static constexpr std::string_view kCapabilityId = "wascc:logging";
  using Sink = std::function<void(const std::string& level, const std::string& line)>;
  explicit Logging(Sink sink) : sink_(std::move(sink)) {}
  std::string_view capability_id() const override { return kCapabilityId; }
  std::optional<std::vector<std::string_view>> binding_keys() const override { return std::vector<std::string_view>{}; }
  Status bind_actor(const std::string&, const BindingValues&) override { return ok_status(); }
  void remove_actor(const std::string&) override {}
  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override;

 private:
  Sink sink_;
};

}  // namespace wascc::builtin_providers
