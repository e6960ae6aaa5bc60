#include "wascc/runner/manifest.h"

#include <algorithm>
#include <charconv>

#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "wascc/engine/limits.h"
#include "wascc/wascap/jwt.h"

namespace wascc::manifest {
namespace {

// Errors name the file, the place in it when known, and the path to the entry.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  Error error_at(const YAML::Node& node, const std::string& where, const std::string& message) const {
    std::string place = source_;
    if (node.IsDefined() && !node.Mark().is_null()) {
      place += ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
    }
    return input_error(place + ": " + (where.empty() ? "" : where + ": ") + message);
  }

  Result<std::string> text(const YAML::Node& node, const std::string& where) const {
    if (!node.IsScalar()) return error_at(node, where, "expected a string");
    return node.Scalar();
  }

  Result<std::vector<std::string>> texts(const YAML::Node& node, const std::string& where) const {
    if (!node.IsSequence()) return error_at(node, where, "expected a list");
    std::vector<std::string> out;
    for (size_t i = 0; i < node.size(); ++i) {
      auto item = text(node[i], where + "[" + std::to_string(i) + "]");
      if (!item) return item.error();
      out.push_back(std::move(item.value()));
    }
    return out;
  }

  Result<std::map<std::string, std::string>> text_map(const YAML::Node& node, const std::string& where) const {
    std::map<std::string, std::string> out;
    if (node.IsNull()) return out;
    if (!node.IsMap()) return error_at(node, where, "expected a map of strings");
    for (const auto& entry : node) {
      auto key = text(entry.first, where);
      if (!key) return key.error();
      auto value = text(entry.second, where + "." + *key);
      if (!value) return value.error();
      out[*key] = std::move(value.value());
    }
    return out;
  }

  // A misspelt key (`valeus:`) must not pass silently: every key of a map is one it knows.
  Status known_keys(const YAML::Node& map, std::initializer_list<std::string_view> known,
                    const std::string& where) const {
    if (!map.IsMap()) return ok_status();
    for (const auto& entry : map) {
      const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string names;
      for (auto name : known) names += (names.empty() ? "" : ", ") + std::string(name);
      return error_at(entry.first, where, "unknown key \"" + key + "\" (expected " + names + ")");
    }
    return ok_status();
  }

  Result<uint64_t> count(const YAML::Node& node, const std::string& where, uint64_t most) const {
    auto value = text(node, where);
    if (!value) return value.error();
    uint64_t out = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), out);
    if (error != std::errc() || end != value->data() + value->size() || out == 0 || out > most) {
      return error_at(node, where, "expected a whole number from 1 to " + std::to_string(most));
    }
    return out;
  }

  Result<ActorSettings> actor_settings(const YAML::Node& entry, const std::string& where) const {
    ActorSettings settings;
    if (const YAML::Node node = entry["max_instances"]; node.IsDefined()) {
      auto value = count(node, where + ".max_instances", 4096);
      if (!value) return value.error();
      settings.max_instances = *value;
    }
    if (const YAML::Node node = entry["timeout"]; node.IsDefined()) {
      auto value = text(node, where + ".timeout");
      if (!value) return value.error();
      auto parsed = limits::parse_timeout(*value);
      if (!parsed) return error_at(node, where + ".timeout", parsed.error().message);
      settings.timeout = *parsed;
    }
    if (const YAML::Node node = entry["fuel"]; node.IsDefined()) {
      auto value = count(node, where + ".fuel", UINT64_MAX);
      if (!value) return value.error();
      settings.fuel = *value;
    }
    if (const YAML::Node node = entry["max_memory_pages"]; node.IsDefined()) {
      auto value = count(node, where + ".max_memory_pages", 65536);
      if (!value) return value.error();
      settings.max_memory_pages = static_cast<uint32_t>(*value);
    }
    return settings;
  }

  Result<YAML::Node> required(const YAML::Node& map, const char* key, const std::string& where) const {
    if (!map.IsMap()) return error_at(map, where, "expected a map");
    const YAML::Node value = map[key];
    if (!value.IsDefined()) return error_at(map, where, std::string("missing key ") + key);
    return value;
  }

  Result<YAML::Node> required_list(const YAML::Node& map, const char* key) const {
    auto list = required(map, key, "");
    if (list && !list->IsSequence()) return error_at(*list, key, "expected a list");
    return list;
  }

  Result<std::string> required_text(const YAML::Node& map, const char* key, const std::string& where) const {
    auto node = required(map, key, where);
    if (!node) return node.error();
    return text(*node, where + "." + key);
  }

  // The text at `key` into `into` when the key is there.
  Status optional_text(const YAML::Node& map, const char* key, const std::string& where, std::string& into) const {
    const YAML::Node node = map[key];
    if (!node.IsDefined()) return ok_status();
    auto value = text(node, where + "." + key);
    if (!value) return value.error();
    into = std::move(value.value());
    return ok_status();
  }

 private:
  std::string source_;
};

// Each entry of the list at `key`, with its place ("key[i]") for errors; the first error stops.
template <typename ReadEntry>
Status for_each_entry(const Reader& reader, const YAML::Node& root, const char* key, ReadEntry read_entry) {
  auto list = reader.required_list(root, key);
  if (!list) return list.error();
  for (size_t i = 0; i < list->size(); ++i) {
    if (auto read = read_entry((*list)[i], std::string(key) + "[" + std::to_string(i) + "]"); !read)
      return read.error();
  }
  return ok_status();
}

// "policy: PATH" or {path, data, entrypoint}.
Result<PolicyReference> read_policy(const Reader& reader, const YAML::Node& policy) {
  PolicyReference reference;
  if (policy.IsScalar()) {
    reference.path = policy.Scalar();
    return reference;
  }
  if (auto known = reader.known_keys(policy, {"path", "data", "entrypoint"}, "policy"); !known) return known.error();
  auto fields = reader.text_map(policy, "policy");
  if (!fields) return fields.error();
  if (!fields->count("path")) return reader.error_at(policy, "policy", "missing key path");
  reference.path = fields->at("path");
  if (fields->count("data")) reference.data = fields->at("data");
  if (fields->count("entrypoint")) reference.entrypoint = fields->at("entrypoint");
  return reference;
}

// A list of texts at `key` of `map` into `into`, when the key is there.
Status optional_texts(const Reader& reader, const YAML::Node& map, const char* key, const std::string& where,
                      std::vector<std::string>& into) {
  const YAML::Node node = map[key];
  if (!node.IsDefined()) return ok_status();
  if (!node.IsSequence()) return reader.error_at(node, where + "." + key, "expected a list");
  for (size_t i = 0; i < node.size(); ++i) {
    auto value = reader.text(node[i], where + "." + key + "[" + std::to_string(i) + "]");
    if (!value) return value.error();
    into.push_back(std::move(value.value()));
  }
  return ok_status();
}

Result<LatticeSettings> read_lattice(const Reader& reader, const YAML::Node& node) {
  LatticeSettings settings;
  if (!node.IsMap()) return reader.error_at(node, "lattice", "expected a map");
  if (auto known = reader.known_keys(
          node,
          {"urls", "name", "host_seed", "cluster_seed", "cluster_issuers", "rpc_timeout", "retries", "nats_creds"},
          "lattice");
      !known) {
    return known.error();
  }
  for (const auto& [key, into] : {std::pair<const char*, std::string*>{"name", &settings.name},
                                  {"host_seed", &settings.host_seed},
                                  {"cluster_seed", &settings.cluster_seed},
                                  {"nats_creds", &settings.nats_creds}}) {
    if (auto read = reader.optional_text(node, key, "lattice", *into); !read) return read.error();
  }
  if (auto read = optional_texts(reader, node, "urls", "lattice", settings.urls); !read) return read.error();
  if (auto read = optional_texts(reader, node, "cluster_issuers", "lattice", settings.cluster_issuers); !read) {
    return read.error();
  }
  if (const YAML::Node timeout = node["rpc_timeout"]; timeout.IsDefined()) {
    auto value = reader.text(timeout, "lattice.rpc_timeout");
    if (!value) return value.error();
    auto parsed = limits::parse_timeout(*value);
    if (!parsed) return reader.error_at(timeout, "lattice.rpc_timeout", parsed.error().message);
    settings.rpc_timeout = *parsed;
  }
  if (const YAML::Node retries = node["retries"]; retries.IsDefined()) {
    auto value = reader.text(retries, "lattice.retries");
    if (!value) return value.error();
    int count = 0;
    auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), count);
    if (error != std::errc() || end != value->data() + value->size() || count < 0 || count > 100) {
      return reader.error_at(retries, "lattice.retries", "expected a whole number from 0 to 100");
    }
    settings.retries = count;
  }
  return settings;
}

// An actor: a path, or (a wascc extension) {path, max_instances, timeout, fuel, max_memory_pages}.
Status read_actor(const Reader& reader, const YAML::Node& entry, const std::string& where, Manifest& manifest) {
  if (entry.IsScalar()) {
    manifest.actors.push_back(entry.Scalar());
    return ok_status();
  }
  if (auto known = reader.known_keys(entry, {"path", "max_instances", "timeout", "fuel", "max_memory_pages"}, where);
      !known) {
    return known.error();
  }
  auto path = reader.required_text(entry, "path", where);
  if (!path) return path.error();
  auto settings = reader.actor_settings(entry, where);
  if (!settings) return settings.error();
  manifest.actor_settings[*path] = *settings;
  manifest.actors.push_back(std::move(path.value()));
  return ok_status();
}

Status read_capability(const Reader& reader, const YAML::Node& entry, const std::string& where, Manifest& manifest) {
  if (auto known = reader.known_keys(entry, {"path", "binding_name"}, where); !known) return known.error();
  auto path = reader.required_text(entry, "path", where);
  if (!path) return path.error();
  Capability capability;
  capability.path = std::move(path.value());
  if (auto name = reader.optional_text(entry, "binding_name", where, capability.binding); !name) return name.error();
  manifest.capabilities.push_back(std::move(capability));
  return ok_status();
}

Status read_binding(const Reader& reader, const YAML::Node& entry, const std::string& where, Manifest& manifest) {
  if (auto known = reader.known_keys(entry, {"actor", "capability", "binding", "values"}, where); !known)
    return known.error();
  Binding binding;
  for (auto [key, field] : {std::pair{"actor", &binding.actor}, std::pair{"capability", &binding.capability}}) {
    auto value = reader.required_text(entry, key, where);
    if (!value) return value.error();
    *field = std::move(value.value());
  }
  if (auto name = reader.optional_text(entry, "binding", where, binding.binding); !name) return name.error();
  if (const YAML::Node values = entry["values"]; values.IsDefined()) {
    auto read = reader.text_map(values, where + ".values");
    if (!read) return read.error();
    binding.values = std::move(read.value());
  }
  manifest.bindings.push_back(std::move(binding));
  return ok_status();
}

YAML::Node yaml_of(const jwt::Json& value) {
  if (value.is_object()) {
    YAML::Node node(YAML::NodeType::Map);
    for (const auto& [key, item] : value.items()) node[key] = yaml_of(item);
    return node;
  }
  if (value.is_array()) {
    YAML::Node node(YAML::NodeType::Sequence);
    for (const auto& item : value) node.push_back(yaml_of(item));
    return node;
  }
  if (value.is_null()) return YAML::Node(YAML::NodeType::Null);
  if (value.is_string()) return YAML::Node(value.get<std::string>());
  return YAML::Node(json::dump(value));  // numbers and booleans: their JSON text, as values take them
}

Result<YAML::Node> document(std::string_view text, Format format, const std::string& source) {
  if (format == Format::Json) {
    auto document = json::parse(text);
    if (!document) return input_error(source + ": not JSON: " + document.error().message);
    return yaml_of(*document);
  }
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& failure) {
    return input_error(source + ":" + std::to_string(failure.mark.line + 1) + ":" +
                       std::to_string(failure.mark.column + 1) + ": not YAML: " + failure.msg);
  }
}

}  // namespace

std::string expand_variables(std::string_view text, const Environment& environment, std::vector<std::string>* unset) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const auto start = text.find("${", at);
    if (start == std::string_view::npos) break;
    const auto end = text.find('}', start + 2);
    if (end == std::string_view::npos) break;
    out.append(text.substr(at, start - at));
    const std::string_view inside = text.substr(start + 2, end - start - 2);
    const auto colon = inside.find(':');
    const std::string name(inside.substr(0, colon));
    if (auto value = environment(name)) {
      out += *value;
    } else if (colon != std::string_view::npos) {
      out.append(inside.substr(colon + 1));
    } else {
      out.append(text.substr(start, end - start + 1));  // undefined, no default: left as written
      if (unset) unset->push_back(name);
    }
    at = end + 1;
  }
  out.append(text.substr(at));
  return out;
}

Format format_for(std::string_view file_name) {
  const auto slash = file_name.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  const auto dot = base.find_last_of('.');
  if (dot == std::string_view::npos) return Format::Yaml;
  const std::string_view extension = base.substr(dot + 1);
  return extension == "yaml" || extension == "yml" ? Format::Yaml : Format::Json;
}

Result<Manifest> parse(std::string_view text, Format format, const std::string& source) {
  auto root = document(text, format, source);
  if (!root) return root.error();
  const Reader reader(source);
  if (!root->IsMap()) return reader.error_at(*root, "", "a manifest is a map with actors, capabilities and bindings");
  if (auto known = reader.known_keys(
          *root, {"labels", "policy", "revocations", "lattice", "actors", "capabilities", "bindings"}, "");
      !known) {
    return known.error();
  }
  Manifest manifest;
  if (const YAML::Node labels = (*root)["labels"]; labels.IsDefined()) {
    auto read = reader.text_map(labels, "labels");
    if (!read) return read.error();
    manifest.labels = std::move(read.value());
  }
  if (const YAML::Node policy = (*root)["policy"]; policy.IsDefined()) {
    auto reference = read_policy(reader, policy);
    if (!reference) return reference.error();
    manifest.policy = std::move(reference.value());
  }
  if (const YAML::Node revocations = (*root)["revocations"]; revocations.IsDefined()) {
    auto path = reader.text(revocations, "revocations");
    if (!path) return path.error();
    manifest.revocations = std::move(path.value());
  }
  if (const YAML::Node lattice = (*root)["lattice"]; lattice.IsDefined()) {
    auto settings = read_lattice(reader, lattice);
    if (!settings) return settings.error();
    manifest.lattice = std::move(settings.value());
  }
  using ReadEntry = Status (*)(const Reader&, const YAML::Node&, const std::string&, Manifest&);
  for (const auto& list : {std::pair<const char*, ReadEntry>{"actors", read_actor},
                           std::pair<const char*, ReadEntry>{"capabilities", read_capability},
                           std::pair<const char*, ReadEntry>{"bindings", read_binding}}) {
    const ReadEntry read_entry = list.second;  // clang 14 cannot capture a structured binding
    auto read = for_each_entry(reader, *root, list.first, [&](const YAML::Node& entry, const std::string& where) {
      return read_entry(reader, entry, where, manifest);
    });
    if (!read) return read.error();
  }
  return manifest;
}

Result<Manifest> load(const std::string& path, bool expand_env, const Environment& environment) {
  auto bytes = read_file_or_stdin(path);
  if (!bytes) return bytes.error();
  std::string text(bytes->begin(), bytes->end());
  if (expand_env) text = expand_variables(text, environment);
  return parse(text, path == "-" ? Format::Yaml : format_for(path), path == "-" ? std::string("<stdin>") : path);
}

}  // namespace wascc::manifest
