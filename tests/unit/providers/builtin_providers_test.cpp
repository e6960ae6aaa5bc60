#include <doctest/doctest.h>

#include "wascc/actors/actor_codec.h"
#include "wascc/providers/builtin_providers.h"

using namespace wascc;

namespace {

// xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lower-case hex (std::regex would do, but trips
// a g++ 12 -Wmaybe-uninitialized false positive inside libstdc++ under -Werror).
bool is_uuid_v4(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    const char c = text[i];
    if (dash != (c == '-')) return false;
    if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return text[14] == '4' && std::string_view("89ab").find(text[19]) != std::string_view::npos;
}

Json generate(builtin_providers::Extras& extras, const std::string& actor, const char* operation, const Json& request) {
  auto reply = extras.handle_call(actor, operation,
                                  *actor_codec::encode(*actor_codec::find_schema("GeneratorRequest"), request));
  REQUIRE_MESSAGE(reply.ok(), reply.error().message);
  return *actor_codec::decode(*actor_codec::find_schema("GeneratorResult"), *reply);
}

}  // namespace

TEST_CASE("extras: guid v4, random in [min, max), per-actor sequences from 0") {
  builtin_providers::Extras extras;
  auto guid = generate(extras, "MA", "RequestGuid", {{"guid", true}});
  CHECK(is_uuid_v4(guid["guid"].get<std::string>()));
  CHECK_FALSE(is_uuid_v4("not-a-uuid"));
  for (int i = 0; i < 200; ++i) {
    auto number = generate(extras, "MA", "RequestRandom", {{"random", true}, {"min", 10}, {"max", 13}})["randomNumber"]
                      .get<uint32_t>();
    CHECK((number >= 10 && number < 13));
  }
  CHECK(generate(extras, "MA", "RequestSequence", {{"sequence", true}})["sequenceNumber"] == 0);
  CHECK(generate(extras, "MA", "RequestSequence", {{"sequence", true}})["sequenceNumber"] == 1);
  CHECK(generate(extras, "MB", "RequestSequence", {{"sequence", true}})["sequenceNumber"] == 0);
  auto bad =
      extras.handle_call("MA", "RequestRandom",
                         *actor_codec::encode(*actor_codec::find_schema("GeneratorRequest"), {{"min", 5}, {"max", 5}}));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "RequestRandom needs min < max, got min 5, max 5");
}

TEST_CASE("logging: levels to the sink as [actor] body; level 0 is off") {
  std::vector<std::string> lines;
  builtin_providers::Logging logging(
      [&](const std::string& level, const std::string& line) { lines.push_back(level + " " + line); });
  auto write = [&](uint32_t level, const char* body) {
    auto wire = actor_codec::encode(*actor_codec::find_schema("WriteLogRequest"), {{"level", level}, {"body", body}});
    REQUIRE(logging.handle_call("MACTOR", "WriteLog", *wire).ok());
  };
  write(3, "hello");
  write(1, "bad");
  write(0, "silent");
  CHECK(lines == std::vector<std::string>{"info [MACTOR] hello", "error [MACTOR] bad"});
}
