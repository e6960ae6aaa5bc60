#include "wascc/policy/opa_policy.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include "wascc/policy/opa_module.h"

namespace wascc::opa {
namespace {

using Json = jwt::Json;
using engine::ValueType;

constexpr int32_t kSupportedMinor = 3;

// The host builtins, in one place: name -> implementation (nullopt = undefined).
using Builtin = std::function<std::optional<Json>(const Options& options, const std::vector<Json>& args)>;

const std::map<std::string, Builtin>& builtin_table() {
  static const std::map<std::string, Builtin> table = {
      {"time.now_ns",
       [](const Options& options, const std::vector<Json>&) -> std::optional<Json> {
         if (options.now_ns) return Json(*options.now_ns);
         return Json(
             std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count());
       }},
      // Like OPA's JS SDK, anything but one string argument is undefined.
      {"json.is_valid",
       [](const Options&, const std::vector<Json>& args) -> std::optional<Json> {
         if (args.size() != 1 || !args[0].is_string()) return std::nullopt;
         return Json(json::validate(args[0].get_ref<const std::string&>()).ok());
       }},
  };
  return table;
}

}  // namespace

const std::vector<std::string>& implemented_builtins() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, implementation] : builtin_table()) out.push_back(name);
    return out;
  }();
  return names;
}

struct Policy::Runtime {
  std::string name;
  Options options;
  std::shared_ptr<engine::LoadedModule> module;
  std::unique_ptr<engine::Instance> instance;
  std::map<int32_t, std::string> builtin_names;
  int32_t minor = 0;
  uint32_t data_value = 0;
  uint32_t base_heap = 0, data_heap = 0;
  std::optional<std::string> aborted;

  Error failure(const engine::Trap& trap) {
    if (aborted) return invalid_error(name + ": opa_abort: " + *std::exchange(aborted, std::nullopt));
    return invalid_error(name + ": " + trap.message);
  }

  Result<uint32_t> call(std::string_view export_name, std::vector<uint64_t> args) {
    if (!instance->has_function(export_name))
      return invalid_error(name + ": the policy exports no " + std::string(export_name));
    auto outcome = instance->call(export_name, args, options.limits);
    if (outcome.trap) return failure(*outcome.trap);
    return outcome.results.empty() ? 0u : static_cast<uint32_t>(outcome.results.front());
  }

  Result<std::string> c_string(uint32_t address) {
    auto* memory = instance->memory();
    if (memory == nullptr) return invalid_error(name + ": the policy exports no memory");
    const uint64_t size = memory->size();
    uint64_t end = address;
    while (end < size && memory->data()[end] != 0) ++end;
    if (end >= size) return invalid_error(name + ": a string at " + std::to_string(address) + " runs past memory");
    return std::string(reinterpret_cast<const char*>(memory->data() + address), end - address);
  }

  Result<uint32_t> load_json(std::string_view text) {
    auto address = call("opa_malloc", {text.size()});
    if (!address) return address.error();
    if (auto written = instance->memory()->write(
            *address, ByteView(reinterpret_cast<const uint8_t*>(text.data()), text.size()), "a JSON value");
        !written) {
      return written.error();
    }
    auto value = call("opa_json_parse", {*address, text.size()});
    if (!value) return value.error();
    if (*value == 0) return invalid_error(name + ": the policy could not parse " + std::string(text.substr(0, 80)));
    return *value;
  }

  Result<Json> dump_json(uint32_t value) {
    auto text = call("opa_json_dump", {value});
    if (!text) return text.error();
    auto json_text = c_string(*text);
    if (!json_text) return json_text.error();
    auto json = json::parse(*json_text);
    if (!json)
      return invalid_error(name + ": the policy dumped no JSON (" + json.error().message +
                           "): " + json_text->substr(0, 80));
    return std::move(json.value());
  }

  // opa_builtinN: the builtin's arguments are values in the policy's heap; the answer is
  // loaded there (0 = undefined). This re-enters the instance from inside an import.
  std::optional<engine::Trap> builtin(std::span<const uint64_t> args, std::span<uint64_t> results) {
    const auto id = static_cast<int32_t>(args[0]);
    auto found = builtin_names.find(id);
    if (found == builtin_names.end())
      return engine::Trap{engine::TrapKind::Host, "unknown builtin " + std::to_string(id), {}, 0};
    std::vector<Json> values;
    for (size_t i = 2; i < args.size(); ++i) {
      auto value = dump_json(static_cast<uint32_t>(args[i]));
      if (!value) return engine::Trap{engine::TrapKind::Host, value.error().message, {}, 0};
      values.push_back(std::move(value.value()));
    }
    const std::optional<Json> answer = builtin_table().at(found->second)(options, values);
    results[0] = 0;
    if (answer) {
      auto loaded = load_json(json::dump(*answer));
      if (!loaded) return engine::Trap{engine::TrapKind::Host, loaded.error().message, {}, 0};
      results[0] = *loaded;
    }
    return std::nullopt;
  }

  std::vector<engine::HostFunction> host_functions() {
    std::vector<engine::HostFunction> out;
    out.push_back({"env",
                   "opa_abort",
                   {{ValueType::I32}, {}},
                   [this](engine::HostContext&, std::span<const uint64_t> args,
                          std::span<uint64_t>) -> std::optional<engine::Trap> {
                     auto text = c_string(static_cast<uint32_t>(args[0]));
                     aborted = text ? *text : std::string("(unreadable message)");
                     return engine::Trap{engine::TrapKind::Host, "opa_abort: " + *aborted, {}, 0};
                   }});
    out.push_back({"env",
                   "opa_println",
                   {{ValueType::I32}, {}},
                   [this](engine::HostContext&, std::span<const uint64_t> args,
                          std::span<uint64_t>) -> std::optional<engine::Trap> {
                     auto text = c_string(static_cast<uint32_t>(args[0]));
                     if (text && options.print) options.print(*text);
                     return std::nullopt;
                   }});
    for (size_t arity = 0; arity <= 4; ++arity) {
      std::vector<ValueType> params(2 + arity, ValueType::I32);
      out.push_back({"env",
                     "opa_builtin" + std::to_string(arity),
                     {params, {ValueType::I32}},
                     [this](engine::HostContext&, std::span<const uint64_t> args, std::span<uint64_t> results) {
                       return builtin(args, results);
                     }});
    }
    return out;
  }
};

Policy::Policy(std::unique_ptr<Runtime> runtime) : runtime_(std::move(runtime)) {}
Policy::~Policy() = default;

Result<std::unique_ptr<Policy>> Policy::load(engine::Engine& engine, ByteView wasm, const std::string& name,
                                             Options options) {
  auto facts = opa_module::read_facts(wasm);
  if (!facts) return Error{facts.error().kind, name + ": " + facts.error().message, facts.error().offset};
  if (facts->abi_major && *facts->abi_major != 1) {
    return invalid_error(name + ": unsupported OPA ABI version " + std::to_string(*facts->abi_major) +
                         " (this host speaks 1)");
  }
  if (facts->abi_minor && *facts->abi_minor > kSupportedMinor) {
    return invalid_error(name + ": OPA ABI 1." + std::to_string(*facts->abi_minor) + " is newer than this host's 1." +
                         std::to_string(kSupportedMinor));
  }
  auto own_memory = opa_module::with_own_memory(wasm);
  if (!own_memory) return own_memory.error();
  auto runtime = std::make_unique<Runtime>();
  runtime->name = name;
  runtime->options = std::move(options);
  runtime->minor = facts->abi_minor.value_or(0);
  auto module = engine.load(*own_memory, name);
  if (!module) return module.error();
  runtime->module = std::move(module.value());
  // Only what the policy imports (typically memory, opa_abort and opa_builtin0..4).
  std::vector<engine::HostFunction> wanted;
  for (auto& function : runtime->host_functions()) {
    for (const auto& import : runtime->module->function_imports()) {
      if (import.module == function.module && import.name == function.name) wanted.push_back(function);
    }
  }
  auto instance = runtime->module->instantiate(wanted, runtime->options.limits);
  if (!instance) return invalid_error(name + ": " + instance.error().message);
  runtime->instance = std::move(instance.value());

  std::unique_ptr<Policy> policy(new Policy(std::move(runtime)));
  Runtime& r = *policy->runtime_;
  policy->abi_minor_ = r.minor;
  auto builtins = r.call("builtins", {});
  if (!builtins) return builtins.error();
  auto builtin_map = r.dump_json(*builtins);
  if (!builtin_map) return builtin_map.error();
  std::string missing;
  for (const auto& [builtin, id] : builtin_map->items()) {
    policy->builtins_[builtin] = id.get<int32_t>();
    r.builtin_names[id.get<int32_t>()] = builtin;
    const auto& known = implemented_builtins();
    if (std::find(known.begin(), known.end(), builtin) == known.end())
      missing += (missing.empty() ? "" : ", ") + builtin;
  }
  if (!missing.empty())
    return invalid_error(name + ": the policy needs builtins this host does not implement: " + missing);
  auto entrypoints = r.call("entrypoints", {});
  if (!entrypoints) return entrypoints.error();
  auto entrypoint_map = r.dump_json(*entrypoints);
  if (!entrypoint_map) return entrypoint_map.error();
  for (const auto& [entry, id] : entrypoint_map->items()) policy->entrypoints_[entry] = id.get<int32_t>();
  auto data = r.load_json("{}");  // as OPA's JS SDK starts
  if (!data) return data.error();
  r.data_value = *data;
  auto heap = r.call("opa_heap_ptr_get", {});
  if (!heap) return heap.error();
  r.base_heap = r.data_heap = *heap;
  return policy;
}

uint64_t Policy::memory_bytes() const {
  auto* memory = runtime_->instance->memory();
  return memory == nullptr ? 0 : memory->size();
}

Status Policy::set_data(std::string_view json) {
  if (auto valid = json::validate(json); !valid)
    return input_error(runtime_->name + ": the data is not JSON: " + valid.error().message);
  Runtime& r = *runtime_;
  if (auto reset = r.call("opa_heap_ptr_set", {r.base_heap}); !reset) return reset.error();
  auto data = r.load_json(json);
  if (!data) return data.error();
  r.data_value = *data;
  auto heap = r.call("opa_heap_ptr_get", {});
  if (!heap) return heap.error();
  r.data_heap = *heap;
  return ok_status();
}

Result<Json> Policy::evaluate(std::string_view input_json, const std::optional<std::string>& entrypoint) {
  if (auto valid = json::validate(input_json); !valid)
    return input_error(runtime_->name + ": the input is not JSON: " + valid.error().message);
  return evaluate_valid(input_json, entrypoint);
}

Result<Json> Policy::evaluate_document(const Json& input, const std::optional<std::string>& entrypoint) {
  return evaluate_valid(json::dump(input), entrypoint);
}

Result<Json> Policy::evaluate_valid(std::string_view input, const std::optional<std::string>& entrypoint) {
  Runtime& r = *runtime_;
  int32_t entry = 0;
  if (entrypoint) {
    auto found = entrypoints_.find(*entrypoint);
    if (found == entrypoints_.end()) {
      std::string names;
      for (const auto& [known, id] : entrypoints_) names += (names.empty() ? "" : ", ") + known;
      return input_error(r.name + ": no entrypoint " + *entrypoint + " (it has: " + names + ")");
    }
    entry = found->second;
  }
  if (auto reset = r.call("opa_heap_ptr_set", {r.data_heap}); !reset) return reset.error();
  if (r.minor >= 2) {  // the one-shot path: input bytes at the heap, scratch after them
    auto address = r.call("opa_malloc", {input.size()});
    if (!address) return address.error();
    if (auto written = r.instance->memory()->write(
            *address, ByteView(reinterpret_cast<const uint8_t*>(input.data()), input.size()), "the input");
        !written) {
      return written.error();
    }
    auto result = r.call("opa_eval", {0, static_cast<uint32_t>(entry), r.data_value, *address, input.size(),
                                      *address + input.size(), 0});
    if (!result) return result.error();
    auto text = r.c_string(*result);
    if (!text) return text.error();
    auto json = json::parse(*text);
    if (!json)
      return invalid_error(r.name + ": the result set is not JSON (" + json.error().message +
                           "): " + text->substr(0, 80));
    return std::move(json.value());
  }
  auto value = r.load_json(input);
  if (!value) return value.error();
  auto context = r.call("opa_eval_ctx_new", {});
  if (!context) return context.error();
  for (auto [setter, argument] :
       {std::pair{"opa_eval_ctx_set_input", *value}, std::pair{"opa_eval_ctx_set_data", r.data_value},
        std::pair{"opa_eval_ctx_set_entrypoint", static_cast<uint32_t>(entry)}}) {
    if (auto set = r.call(setter, {*context, argument}); !set) return set.error();
  }
  if (auto evaluated = r.call("eval", {*context}); !evaluated) return evaluated.error();
  auto result = r.call("opa_eval_ctx_get_result", {*context});
  if (!result) return result.error();
  return r.dump_json(*result);
}

Result<Decision> decide(const Json& result_set) {
  if (!result_set.is_array()) return invalid_error("the policy's result set is not an array");
  if (result_set.empty()) return Decision{false, "policy gave no decision"};
  const Json& first = result_set[0];
  if (!first.is_object() || !first.contains("result")) return invalid_error("the policy's result set has no result");
  const Json& result = first["result"];
  if (result.is_boolean()) return Decision{result.get<bool>(), result.get<bool>() ? "" : "denied by policy"};
  if (!result.is_object())
    return invalid_error("the policy's result is neither a boolean nor an object: " + json::dump(result));
  const char* key = result.contains("allow") ? "allow" : "permitted";
  if (!result.contains(key) || !result[key].is_boolean()) {
    return invalid_error("the policy's result has no boolean allow (or permitted): " + json::dump(result));
  }
  Decision decision{result[key].get<bool>(), ""};
  if (result.contains("message") && result["message"].is_string())
    decision.message = result["message"].get<std::string>();
  for (const char* list : {"reasons", "deny"}) {
    if (!result.contains(list) || !result[list].is_array()) continue;
    for (const auto& reason : result[list]) {
      if (reason.is_string()) decision.message += (decision.message.empty() ? "" : "; ") + reason.get<std::string>();
    }
  }
  if (!decision.allowed && decision.message.empty()) decision.message = "denied by policy";
  return decision;
}

}  // namespace wascc::opa
