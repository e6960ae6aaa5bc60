#include "wascc/providers/builtin_providers.h"

#include <sodium.h>

#include <cstdio>

#include "wascc/actors/actor_codec.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::builtin_providers {
namespace {

using Json = jwt::Json;

std::string uuid_v4() {
  nkeys::ensure_crypto_ready();
  uint8_t bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
  return text;
}

}  // namespace

void Extras::remove_actor(const std::string& actor) {
  std::lock_guard lock(mutex_);
  sequences_.erase(actor);
}

Result<Bytes> Extras::handle_call(const std::string& actor, std::string_view operation, ByteView payload) {
  if (operation != "RequestGuid" && operation != "RequestRandom" && operation != "RequestSequence") {
    return input_error("wascc:extras has no operation " + std::string(operation));
  }
  auto request = actor_codec::decode(*actor_codec::find_schema("GeneratorRequest"), payload);
  if (!request) return request.error();
  Json result = {{"guid", nullptr}, {"sequenceNumber", 0}, {"randomNumber", 0}};
  if (operation == "RequestGuid") {
    result["guid"] = uuid_v4();
  } else if (operation == "RequestRandom") {
    const auto min = (*request)["min"].get<uint32_t>();
    const auto max = (*request)["max"].get<uint32_t>();
    if (min >= max)
      return input_error("RequestRandom needs min < max, got min " + std::to_string(min) + ", max " +
                         std::to_string(max));
    nkeys::ensure_crypto_ready();
    result["randomNumber"] = min + randombytes_uniform(max - min);
  } else {
    std::lock_guard lock(mutex_);
    result["sequenceNumber"] = sequences_[actor]++;
  }
  return actor_codec::encode(*actor_codec::find_schema("GeneratorResult"), result);
}

Result<Bytes> Logging::handle_call(const std::string& actor, std::string_view operation, ByteView payload) {
  if (operation != "WriteLog") return input_error("wascc:logging has no operation " + std::string(operation));
  auto request = actor_codec::decode(*actor_codec::find_schema("WriteLogRequest"), payload);
  if (!request) return request.error();
  static const char* const kLevels[] = {"off", "error", "warn", "info", "debug", "trace"};
  const auto level = (*request)["level"].get<uint32_t>();
  if (level == 0) return Bytes{};
  if (sink_) sink_(level <= 5 ? kLevels[level] : "trace", "[" + actor + "] " + (*request)["body"].get<std::string>());
  return Bytes{};
}

}  // namespace wascc::builtin_providers
