#include "wascc/providers/messaging_contract.h"

#include "wascc/base/ascii.h"

#include "wascc/actors/actor_codec.h"
#include "wascc/base/msgpack_writer.h"

namespace wascc::messaging_contract {
namespace {

std::string_view trimmed(std::string_view text) { return ascii::trim(text); }

std::vector<std::string_view> tokens(std::string_view subject) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const auto dot = subject.find('.', start);
    out.push_back(subject.substr(start, dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

bool valid_pattern(std::string_view subject) {
  if (subject.empty()) return false;
  const auto parts = tokens(subject);
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto token = parts[i];
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos) return false;
    if (token.size() > 1 && token.find_first_of("*>") != std::string_view::npos) return false;
    if (token == ">" && i + 1 != parts.size()) return false;
  }
  return true;
}

std::string bytes_text(const jwt::Json& json, const char* field) {
  if (!json.contains(field)) return {};
  const auto& binary = json[field].get_binary();
  return std::string(binary.begin(), binary.end());
}

}  // namespace

Result<Subscriptions> subscriptions_of(const BindingValues& values) {
  Subscriptions out;
  if (auto group = values.find("QUEUEGROUP_NAME"); group != values.end())
    out.queue_group = std::string(trimmed(group->second));
  auto list = values.find("SUBSCRIPTION");
  if (list == values.end()) return out;
  std::string_view rest = list->second;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto subject = trimmed(rest.substr(0, comma));
    if (!valid_pattern(subject)) {
      return input_error("wascc:messaging: SUBSCRIPTION \"" + list->second + "\": \"" + std::string(subject) +
                         "\" is not a NATS subject");
    }
    out.subjects.emplace_back(subject);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

bool subject_matches(std::string_view pattern, std::string_view subject) {
  const auto wanted = tokens(pattern);
  const auto have = tokens(subject);
  for (size_t i = 0; i < wanted.size(); ++i) {
    if (wanted[i] == ">") return have.size() > i;
    if (i >= have.size()) return false;
    if (wanted[i] != "*" && wanted[i] != have[i]) return false;
  }
  return wanted.size() == have.size();
}

Bytes encode_broker_message(const BrokerMessage& message) {
  MsgpackWriter out;
  out.map_header(3);
  out.text_entry("subject", message.subject);
  out.text_entry("replyTo", message.reply_to);
  out.binary_entry("body", message.body);
  return out.take();
}

Bytes encode_request(const RequestMessage& message) {
  MsgpackWriter out;
  out.map_header(3);
  out.text_entry("subject", message.subject);
  out.binary_entry("body", message.body);
  out.signed_entry("timeout", message.timeout_ms);
  return out.take();
}

Result<BrokerMessage> decode_publish(ByteView payload) {
  auto json = actor_codec::decode(*actor_codec::find_schema("BrokerMessage"), payload);
  if (!json) return json.error();
  return BrokerMessage{json->value("subject", std::string()), json->value("replyTo", std::string()),
                       bytes_text(*json, "body")};
}

Result<RequestMessage> decode_request(ByteView payload) {
  auto json = actor_codec::decode(*actor_codec::find_schema("RequestMessage"), payload);
  if (!json) return json.error();
  return RequestMessage{json->value("subject", std::string()), bytes_text(*json, "body"),
                        json->value("timeout", int64_t{0})};
}

void ProviderBase::deliver(const std::string& actor, ByteView encoded_message) const {
  if (!dispatcher_) return;
  auto delivered = dispatcher_(actor, "DeliverMessage", encoded_message);
  if (!delivered && notice_) notice_("wascc:messaging: DeliverMessage to " + actor + ": " + delivered.error().message);
}

}  // namespace wascc::messaging_contract
