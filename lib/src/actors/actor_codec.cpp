#include "wascc/actors/actor_codec.h"

#include <map>

#include "wascc/base/msgpack_reader.h"
#include "wascc/base/utf8.h"

namespace wascc::actor_codec {
namespace {

using Json = jwt::Json;
using enum FieldType;

Field f(std::string name, FieldType type, bool defaulted = false) { return {std::move(name), type, defaulted}; }

// Declaration order is wire order (byte-identical to the Rust encoder).
const std::vector<MessageSchema>& schemas() {
  static const std::vector<MessageSchema> kSchemas = {
      {"Request",
       {f("method", String), f("path", String), f("queryString", String), f("header", StringMap, true),
        f("body", Binary, true)}},
      {"Response", {f("statusCode", U32), f("status", String), f("header", StringMap, true), f("body", Binary, true)}},
      {"BrokerMessage", {f("subject", String), f("replyTo", String), f("body", Binary, true)}},
      {"RequestMessage", {f("subject", String), f("body", Binary, true), f("timeout", I64)}},
      {"GetRequest", {f("key", String)}},
      {"GetResponse", {f("value", String), f("exists", Bool)}},
      {"SetRequest", {f("key", String), f("value", String), f("expires", I32)}},
      {"SetResponse", {f("value", String)}},
      {"DelRequest", {f("key", String)}},
      {"DelResponse", {f("key", String)}},
      {"AddRequest", {f("key", String), f("value", I32)}},
      {"AddResponse", {f("value", I32)}},
      {"ListPushRequest", {f("key", String), f("value", String)}},
      {"ListResponse", {f("newCount", I32)}},
      {"ListRangeRequest", {f("key", String), f("start", I32), f("stop", I32)}},
      {"ListRangeResponse", {f("values", StringList, true)}},
      {"ListClearRequest", {f("key", String)}},
      {"ListDelItemRequest", {f("key", String), f("value", String)}},
      {"SetAddRequest", {f("key", String), f("value", String)}},
      {"SetRemoveRequest", {f("key", String), f("value", String)}},
      {"SetUnionRequest", {f("keys", StringList, true)}},
      {"SetIntersectionRequest", {f("keys", StringList, true)}},
      {"SetQueryRequest", {f("key", String)}},
      {"SetQueryResponse", {f("values", StringList, true)}},
      {"KeyExistsQuery", {f("key", String)}},
      {"WriteLogRequest", {f("level", U32), f("body", String)}},
      {"GeneratorRequest", {f("guid", Bool), f("sequence", Bool), f("random", Bool), f("min", U32), f("max", U32)}},
      {"GeneratorResult", {f("guid", OptionalString), f("sequenceNumber", U64), f("randomNumber", U32)}},
      // No camelCase rename on these two (as upstream).
      {"CapabilityConfiguration", {f("module", String), f("values", StringMap, true)}},
      {"HealthRequest", {f("placeholder", Bool)}},
  };
  return kSchemas;
}

Json zero_value(FieldType type) {
  switch (type) {
    case String: return "";
    case OptionalString: return nullptr;
    case Bool: return false;
    case U32:
    case U64:
    case I32:
    case I64: return 0;
    case Binary: return Json::binary({});
    case StringMap: return Json::object();
    case StringList: return Json::array();
  }
  return nullptr;
}

Error field_error(const MessageSchema& schema, const Field& field, const std::string& problem) {
  return input_error(schema.name + "." + field.name + ": " + problem);
}

// Normalises one field's value to its JSON wire form, from what either side may send.
Result<Json> normalise(const MessageSchema& schema, const Field& field, const Json& value) {
  switch (field.type) {
    case String:
      if (!value.is_string()) return field_error(schema, field, "expected a string");
      return value;
    case OptionalString:
      if (!value.is_string() && !value.is_null()) return field_error(schema, field, "expected a string or nil");
      return value;
    case Bool:
      if (!value.is_boolean()) return field_error(schema, field, "expected true or false");
      return value;
    case U32:
    case U64:
    case I32:
    case I64: {
      if (!value.is_number_integer()) return field_error(schema, field, "expected an integer");
      const bool is_signed = field.type == I32 || field.type == I64;
      if (!is_signed && value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() < 0) {
        return field_error(schema, field, "expected a non-negative integer");
      }
      if (field.type == U32 && value.get<uint64_t>() > UINT32_MAX) return field_error(schema, field, "out of range");
      if (field.type == I32 && (value.get<int64_t>() < INT32_MIN || value.get<int64_t>() > INT32_MAX)) {
        return field_error(schema, field, "out of range");
      }
      return value;
    }
    case Binary: {
      if (value.is_binary()) return Json::binary(value.get_binary());
      if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        return Json::binary(std::vector<uint8_t>(text.begin(), text.end()));
      }
      if (value.is_array()) {  // dialect A and some SDKs: an array of ints
        std::vector<uint8_t> bytes;
        for (const auto& item : value) {
          if (!item.is_number_unsigned() || item.get<uint64_t>() > 255)
            return field_error(schema, field, "expected bytes");
          bytes.push_back(static_cast<uint8_t>(item.get<uint64_t>()));
        }
        return Json::binary(std::move(bytes));
      }
      return field_error(schema, field, "expected bytes");
    }
    case StringMap: {
      if (!value.is_object()) return field_error(schema, field, "expected a map of strings");
      for (const auto& [key, item] : value.items()) {
        if (!item.is_string()) return field_error(schema, field, "value of \"" + key + "\" is not a string");
      }
      return value;
    }
    case StringList:
      if (!value.is_array()) return field_error(schema, field, "expected a list of strings");
      for (const auto& item : value) {
        if (!item.is_string()) return field_error(schema, field, "expected a list of strings");
      }
      return value;
  }
  return field_error(schema, field, "unsupported type");
}

}  // namespace

const MessageSchema* find_schema(std::string_view name) {
  for (const auto& schema : schemas()) {
    if (schema.name == name) return &schema;
  }
  return nullptr;
}

std::vector<std::string> schema_names() {
  std::vector<std::string> names;
  for (const auto& schema : schemas()) names.push_back(schema.name);
  return names;
}

Result<Bytes> encode(const MessageSchema& schema, const Json& value) {
  if (!value.is_object()) return input_error(schema.name + ": expected a JSON object");
  Json wire = Json::object();  // ordered: declaration order
  for (const auto& field : schema.fields) {
    auto found = value.find(field.name);
    auto normalised = found == value.end() ? Result<Json>(zero_value(field.type)) : normalise(schema, field, *found);
    if (!normalised) return normalised.error();
    wire[field.name] = std::move(normalised.value());
  }
  return Json::to_msgpack(wire);
}

Result<Json> first_msgpack_value(ByteView wire) {
  auto extent = msgpack::value_extent(wire);
  if (!extent) return extent.error();
  Json value = Json::from_msgpack(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(*extent), /*strict=*/true,
                                  /*allow_exceptions=*/false);
  if (value.is_discarded()) return input_error("not a msgpack value");
  return value;
}

Result<Json> decode(const MessageSchema& schema, ByteView wire) {
  auto first = first_msgpack_value(wire);
  if (!first) return input_error(schema.name + ": not a msgpack value (" + first.error().message + ")");
  Json& value = *first;
  Json out = Json::object();
  if (value.is_array()) {  // positional: rmp-serde's default struct encoding
    for (size_t i = 0; i < schema.fields.size(); ++i) {
      const Field& field = schema.fields[i];
      if (i >= value.size()) {
        if (!field.defaulted) return field_error(schema, field, "missing field");
        out[field.name] = zero_value(field.type);
        continue;
      }
      auto normalised = normalise(schema, field, value[i]);
      if (!normalised) return normalised.error();
      out[field.name] = std::move(normalised.value());
    }
    return out;
  }
  if (!value.is_object()) return input_error(schema.name + ": expected a map or an array");
  for (const auto& field : schema.fields) {
    auto found = value.find(field.name);
    if (found == value.end()) {
      if (!field.defaulted) return field_error(schema, field, "missing field");
      out[field.name] = zero_value(field.type);
      continue;
    }
    auto normalised = normalise(schema, field, *found);
    if (!normalised) return normalised.error();
    out[field.name] = std::move(normalised.value());
  }
  return out;
}

namespace {

void make_readable(jwt::Json& value) {
  if (value.is_binary()) {
    const auto& bytes = value.get_binary();
    if (utf8::is_valid(ByteView(bytes.data(), bytes.size()))) {
      value = std::string(bytes.begin(), bytes.end());
    } else {
      value = std::vector<int>(bytes.begin(), bytes.end());
    }
  } else if (value.is_structured()) {
    for (auto& item : value) make_readable(item);
  }
}

}  // namespace

std::optional<jwt::Json> readable_json(ByteView msgpack) {
  // For display, the bytes must be exactly one value: text like "plain words" starts with a
  // valid msgpack integer ('p' = 112) and is not msgpack for all that.
  auto extent = msgpack::value_extent(msgpack);
  if (!extent || *extent != msgpack.size()) return std::nullopt;
  Json json = Json::from_msgpack(msgpack.begin(), msgpack.end(), /*strict=*/true, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  make_readable(json);
  return json;
}

}  // namespace wascc::actor_codec
