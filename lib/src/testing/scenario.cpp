#include "wascc/testing/scenario.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

namespace wascc::scenario {
namespace {

using Json = jwt::Json;

// Aliases let a few lines of YAML name a billion values ("billion laughs"); expanding them
// stops at this many (real scenario files hold hundreds).
constexpr size_t kMaxYamlValues = 1'000'000;
struct TooManyValues {};

// YAML to JSON with typed scalars (quoted scalars stay strings), so that expectations written
// in YAML compare as their JSON twins would. Throws TooManyValues past kMaxYamlValues.
Json json_of(const YAML::Node& node, size_t& budget) {
  if (budget-- == 0) throw TooManyValues{};
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = json_of(entry.second, budget);
      return out;
    }
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(json_of(item, budget));
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "!") return text;  // quoted
      if (text == "null" || text == "~") return nullptr;
      if (text == "true" || text == "false") return text == "true";
      if (auto number = json::parse(text); number && number->is_number()) return std::move(number.value());
      return text;
    }
    default: return nullptr;
  }
}

// Where each scenario and step starts, "file:line", in document order.
struct Places {
  std::vector<std::string> scenarios;
  std::vector<std::vector<std::string>> steps;
};

Places places_of(const YAML::Node& root, const std::string& file) {
  Places places;
  auto at = [&](const YAML::Node& node) { return file + ":" + std::to_string(node.Mark().line + 1); };
  std::vector<YAML::Node> scenarios;
  // (A missing key gives an invalid node: ask IsDefined before anything else.)
  if (root.IsMap() && root["scenarios"].IsDefined() && root["scenarios"].IsSequence()) {
    for (const auto& item : root["scenarios"]) scenarios.push_back(item);
  } else {
    scenarios.push_back(root);
  }
  for (const auto& scenario : scenarios) {
    places.scenarios.push_back(at(scenario));
    places.steps.emplace_back();
    if (scenario.IsMap() && scenario["steps"].IsDefined() && scenario["steps"].IsSequence()) {
      for (const auto& step : scenario["steps"]) places.steps.back().push_back(at(step));
    }
  }
  return places;
}

std::string text_of(const Json& value) { return value.is_string() ? value.get<std::string>() : json::dump(value); }

class Parser {
 public:
  Parser(std::string file, std::filesystem::path directory)
      : file_(std::move(file)), directory_(std::move(directory)) {}

  Status check_keys(const Json& map, std::initializer_list<const char*> allowed, const std::string& where) const {
    if (!map.is_object()) return input_error(where + ": expected a map");
    std::set<std::string> known(allowed.begin(), allowed.end());
    for (const auto& [key, value] : map.items()) {
      if (!known.count(key)) return input_error(where + ": unknown key " + key);
    }
    return ok_status();
  }

  Result<std::map<std::string, std::string>> text_map(const Json& value, const std::string& where) const {
    std::map<std::string, std::string> out;
    if (value.is_null()) return out;
    if (!value.is_object()) return input_error(where + ": expected a map");
    for (const auto& [key, item] : value.items()) out[key] = text_of(item);
    return out;
  }

  Result<std::map<std::string, std::optional<std::string>>> optional_text_map(const Json& value,
                                                                              const std::string& where) const {
    std::map<std::string, std::optional<std::string>> out;
    if (!value.is_object()) return input_error(where + ": expected a map of keys to values (null: absent)");
    for (const auto& [key, item] : value.items())
      out[key] = item.is_null() ? std::nullopt : std::optional(text_of(item));
    return out;
  }

  Result<Expectation> expectation(const Json& json, const std::string& where) const {
    Expectation out;
    if (json.is_null()) return out;
    if (auto keys = check_keys(json,
                               {"status", "headers", "body", "body_json", "body_regex", "body_subset", "host_calls",
                                "no_host_calls", "published", "keyvalue", "error", "trap"},
                               where + ": expect");
        !keys) {
      return keys.error();
    }
    if (json.contains("status")) {
      if (!json["status"].is_number_integer()) return input_error(where + ": expect.status: expected a number");
      out.status = json["status"].get<int>();
    }
    if (json.contains("headers")) {
      auto headers = text_map(json["headers"], where + ": expect.headers");
      if (!headers) return headers.error();
      out.headers = std::move(headers.value());
    }
    if (json.contains("body")) out.body = text_of(json["body"]);
    if (json.contains("body_json")) out.body_json = json["body_json"];
    if (json.contains("body_regex")) out.body_regex = text_of(json["body_regex"]);
    if (json.contains("body_subset")) out.body_subset = json["body_subset"];
    if (json.contains("error")) out.error = text_of(json["error"]);
    for (const char* flag : {"trap", "no_host_calls"}) {
      if (json.contains(flag) && !json[flag].is_boolean()) {
        return input_error(where + ": expect." + flag + ": expected true or false");
      }
    }
    out.trap = json.value("trap", false);
    out.no_host_calls = json.value("no_host_calls", false);
    if (json.contains("keyvalue")) {
      auto state = optional_text_map(json["keyvalue"], where + ": expect.keyvalue");
      if (!state) return state.error();
      out.keyvalue = std::move(state.value());
    }
    if (json.contains("host_calls")) {
      if (!json["host_calls"].is_array()) return input_error(where + ": expect.host_calls: expected a list");
      for (size_t i = 0; i < json["host_calls"].size(); ++i) {
        const Json& call = json["host_calls"][i];
        const std::string at = where + ": expect.host_calls[" + std::to_string(i) + "]";
        if (auto keys = check_keys(call, {"capability", "operation", "binding", "payload", "error"}, at); !keys)
          return keys.error();
        if (!call.contains("capability") || !call.contains("operation"))
          return input_error(at + ": needs capability and operation");
        ExpectedHostCall expected{text_of(call["capability"]), text_of(call["operation"]), std::nullopt, std::nullopt,
                                  std::nullopt};
        if (call.contains("binding")) expected.binding = text_of(call["binding"]);
        if (call.contains("payload")) expected.payload = call["payload"];
        if (call.contains("error")) expected.error = text_of(call["error"]);
        out.host_calls.push_back(std::move(expected));
      }
    }
    if (json.contains("published")) {
      if (!json["published"].is_array()) return input_error(where + ": expect.published: expected a list");
      for (size_t i = 0; i < json["published"].size(); ++i) {
        const Json& message = json["published"][i];
        const std::string at = where + ": expect.published[" + std::to_string(i) + "]";
        if (auto keys = check_keys(message, {"subject", "body"}, at); !keys) return keys.error();
        if (!message.contains("subject")) return input_error(at + ": needs subject");
        out.published.push_back({text_of(message["subject"]),
                                 message.contains("body") ? std::optional(text_of(message["body"])) : std::nullopt});
      }
    }
    return out;
  }

  Result<Step> step(const Json& json, const std::string& where, size_t index) const {
    Step out;
    out.where = where;
    if (auto keys =
            check_keys(json, {"name", "actor", "http", "invoke", "message", "request", "keyvalue", "expect"}, where);
        !keys) {
      return keys.error();
    }
    out.name = json.contains("name") ? text_of(json["name"]) : "step " + std::to_string(index + 1);
    out.actor = json.contains("actor") ? resolve(text_of(json["actor"])) : "";
    int kinds = 0;
    for (const char* kind : {"http", "invoke", "message", "request", "keyvalue"}) kinds += json.contains(kind);
    if (kinds != 1) return input_error(where + ": a step is exactly one of http, invoke, message, request, keyvalue");
    if (json.contains("http")) {
      const Json& http = json["http"];
      if (auto keys = check_keys(http, {"method", "path", "query", "headers", "body"}, where + ": http"); !keys)
        return keys.error();
      out.kind = StepKind::Http;
      out.method = http.contains("method") ? text_of(http["method"]) : "GET";
      out.path = http.contains("path") ? text_of(http["path"]) : "/";
      out.query = http.contains("query") ? text_of(http["query"]) : "";
      if (http.contains("body")) out.body = text_of(http["body"]);
      if (http.contains("headers")) {
        auto headers = text_map(http["headers"], where + ": http.headers");
        if (!headers) return headers.error();
        out.headers = std::move(headers.value());
      }
    } else if (json.contains("invoke")) {
      const Json& invoke = json["invoke"];
      if (auto keys = check_keys(invoke, {"operation", "payload", "payload_text", "payload_file"}, where + ": invoke");
          !keys) {
        return keys.error();
      }
      out.kind = StepKind::Invoke;
      if (!invoke.contains("operation")) return input_error(where + ": invoke: needs operation");
      out.operation = text_of(invoke["operation"]);
      if (invoke.contains("payload")) {
        auto packed = Json::to_msgpack(invoke["payload"]);
        out.body.assign(packed.begin(), packed.end());
      } else if (invoke.contains("payload_text")) {
        out.body = text_of(invoke["payload_text"]);
      } else if (invoke.contains("payload_file")) {
        auto bytes = read_file_or_stdin(resolve(text_of(invoke["payload_file"])));
        if (!bytes) return input_error(where + ": invoke.payload_file: " + bytes.error().message);
        out.body.assign(bytes->begin(), bytes->end());
      }
    } else if (json.contains("message") || json.contains("request")) {
      const bool request = json.contains("request");
      const Json& message = request ? json["request"] : json["message"];
      const std::string at = where + (request ? ": request" : ": message");
      if (auto keys = request ? check_keys(message, {"subject", "body", "timeout_ms", "binding"}, at)
                              : check_keys(message, {"subject", "reply_to", "body"}, at);
          !keys) {
        return keys.error();
      }
      out.kind = request ? StepKind::Request : StepKind::Message;
      if (!message.contains("subject")) return input_error(at + ": needs subject");
      out.subject = text_of(message["subject"]);
      if (message.contains("body")) out.body = text_of(message["body"]);
      if (message.contains("reply_to")) out.reply_to = text_of(message["reply_to"]);
      if (message.contains("binding")) out.binding = text_of(message["binding"]);
      if (message.contains("timeout_ms")) out.timeout_ms = message["timeout_ms"].get<int64_t>();
    } else {
      const Json& keyvalue = json["keyvalue"];
      if (auto keys = check_keys(keyvalue, {"set", "binding"}, where + ": keyvalue"); !keys) return keys.error();
      out.kind = StepKind::KeyValue;
      if (keyvalue.contains("binding")) out.binding = text_of(keyvalue["binding"]);
      if (keyvalue.contains("set")) {
        auto set = optional_text_map(keyvalue["set"], where + ": keyvalue.set");
        if (!set) return set.error();
        out.set = std::move(set.value());
      }
    }
    auto expect = expectation(json.value("expect", Json()), where);
    if (!expect) return expect.error();
    out.expect = std::move(expect.value());
    return out;
  }

  Result<Scenario> scenario(const Json& json, const std::string& where,
                            const std::vector<std::string>& step_places) const {
    if (auto keys = check_keys(json, {"name", "actors", "bindings", "allow_issuers", "providers", "steps"}, where);
        !keys) {
      return keys.error();
    }
    Scenario out;
    out.file = file_;
    out.where = where;
    out.name = json.contains("name") ? text_of(json["name"]) : std::filesystem::path(file_).stem().string();
    if (!json.contains("actors") || !json["actors"].is_array() || json["actors"].empty()) {
      return input_error(where + ": actors: a list of one or more actor files is required");
    }
    for (const auto& actor : json["actors"]) out.actors.push_back(resolve(text_of(actor)));
    for (const auto& issuer : json.value("allow_issuers", Json::array()))
      out.allowed_issuers.push_back(text_of(issuer));
    for (const auto& provider : json.value("providers", Json::array())) {  // plugin paths are file-relative
      const std::string spec = text_of(provider);
      out.providers.push_back(spec.rfind("exec:", 0) == 0 ? spec : resolve(spec));
    }
    const Json bindings = json.value("bindings", Json::array());
    for (size_t i = 0; i < bindings.size(); ++i) {
      const std::string at = where + ": bindings[" + std::to_string(i) + "]";
      if (auto keys = check_keys(bindings[i], {"actor", "capability", "binding", "values"}, at); !keys)
        return keys.error();
      if (!bindings[i].contains("capability")) return input_error(at + ": needs capability");
      manifest::Binding binding;
      binding.actor = bindings[i].contains("actor") ? resolve(text_of(bindings[i]["actor"])) : out.actors.front();
      binding.capability = text_of(bindings[i]["capability"]);
      if (bindings[i].contains("binding")) binding.binding = text_of(bindings[i]["binding"]);
      auto values = text_map(bindings[i].value("values", Json()), at + ".values");
      if (!values) return values.error();
      binding.values = std::move(values.value());
      out.bindings.push_back(std::move(binding));
    }
    const Json steps = json.value("steps", Json::array());
    if (!steps.is_array() || steps.empty())
      return input_error(where + ": steps: a list of one or more steps is required");
    for (size_t i = 0; i < steps.size(); ++i) {
      const std::string at = i < step_places.size() ? step_places[i] : where + ": steps[" + std::to_string(i) + "]";
      auto parsed = step(steps[i], at, i);
      if (!parsed) return parsed.error();
      out.steps.push_back(std::move(parsed.value()));
    }
    return out;
  }

  // Paths in a scenario are relative to its file; keys and absolute paths stay.
  std::string resolve(const std::string& reference) const {
    const std::filesystem::path path(reference);
    if (path.is_absolute() || (reference.size() == 56 && reference[0] == 'M')) return reference;
    return (directory_ / path).lexically_normal().string();
  }

 private:
  std::string file_;
  std::filesystem::path directory_;
};

}  // namespace

Result<std::vector<Scenario>> parse(std::string_view text, manifest::Format format, const std::string& file) {
  Json root;
  Places places;
  if (format == manifest::Format::Yaml) {
    try {
      const YAML::Node node = YAML::Load(std::string(text));
      size_t budget = kMaxYamlValues;
      root = json_of(node, budget);
      places = places_of(node, file);
    } catch (const YAML::Exception& failure) {
      return input_error(file + ":" + std::to_string(failure.mark.line + 1) + ":" +
                         std::to_string(failure.mark.column + 1) + ": not YAML: " + failure.msg);
    } catch (const TooManyValues&) {
      return input_error(file + ": the YAML expands to more than " + std::to_string(kMaxYamlValues) +
                         " values (aliases repeated?)");
    }
  } else {
    auto parsed = json::parse(text);
    if (!parsed) return input_error(file + ": not JSON: " + parsed.error().message);
    root = std::move(parsed.value());
  }
  const Parser parser(file, std::filesystem::path(file).parent_path());
  std::vector<Json> items;
  if (root.is_object() && root.contains("scenarios")) {
    if (!root["scenarios"].is_array()) return input_error(file + ": scenarios: expected a list");
    for (const auto& item : root["scenarios"]) items.push_back(item);
  } else {
    items.push_back(root);
  }
  std::vector<Scenario> out;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string where = i < places.scenarios.size() ? places.scenarios[i]
                              : items.size() == 1         ? file
                                                          : file + ": scenarios[" + std::to_string(i) + "]";
    // A value of the wrong type that a check missed is still the file's error, not a crash.
    auto parsed = [&]() -> Result<Scenario> {
      try {
        return parser.scenario(items[i], where, i < places.steps.size() ? places.steps[i] : std::vector<std::string>{});
      } catch (const Json::exception& failure) {
        std::string message = failure.what();
        return input_error(where + ": " +
                           message.substr(message.find("] ") == std::string::npos ? 0 : message.find("] ") + 2));
      }
    }();
    if (!parsed) return parsed.error();
    out.push_back(std::move(parsed.value()));
  }
  return out;
}

Result<std::vector<Scenario>> load(const std::string& path, const manifest::Environment& environment) {
  auto bytes = read_file_or_stdin(path);
  if (!bytes) return bytes.error();
  std::vector<std::string> unset;
  const std::string text = manifest::expand_variables(std::string(bytes->begin(), bytes->end()), environment, &unset);
  if (!unset.empty()) {
    // Left as written, ${REDIS_URL} would fail later as "not a redis:// URL ${REDIS_URL}".
    return input_error(path + ": ${" + unset.front() + "} is not set (set it, or give a default: ${" + unset.front() +
                       ":value})");
  }
  return scenario::parse(text, manifest::format_for(path), path);
}

}  // namespace wascc::scenario
