// Runs the WebAssembly spec test suite (wast2json output) through one engine of the project,
// behind the same interface the waPC host uses, and so through the limits instrumentation.
// Usage: wascc_spec_runner [--min-passed N] ENGINE FILE.json...   Prints "file: passed/total
// (skipped N)" and a closing "N passed, N failed" line; fails when any command fails or fewer
// than N pass (so that a regression cannot hide behind skips). Commands the engine interface cannot express (reference
// values, global gets, imports of spectest tables/memories/globals, text-format
// modules) are counted as skipped, never as passed.
#include <cmath>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "wascc/wapc/guest_launch.h"
#include "wascc/wasm/wat.h"
#include "aot_cache_environment.h"

using namespace wascc;
using Json = nlohmann::json;

namespace {

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

std::optional<engine::ValueType> value_type(const std::string& name) {
  if (name == "i32") return engine::ValueType::I32;
  if (name == "i64") return engine::ValueType::I64;
  if (name == "f32") return engine::ValueType::F32;
  if (name == "f64") return engine::ValueType::F64;
  if (name == "v128") return engine::ValueType::V128;
  return std::nullopt;
}

// The bytes of one lane of a v128 of `lane_type` (wast2json's "i8" ... "f64").
int lane_bytes(const std::string& lane_type) {
  if (lane_type == "i8") return 1;
  if (lane_type == "i16") return 2;
  if (lane_type == "i32" || lane_type == "f32") return 4;
  return 8;
}

// A v128 constant of wast2json ({"lane_type": "i16", "value": ["1", ...]}) as two slots.
void append_v128(const Json& value, std::vector<uint64_t>& slots) {
  const int bytes = lane_bytes(value["lane_type"]);
  uint8_t vector[16] = {};
  for (size_t lane = 0; lane < value["value"].size() && (lane + 1) * bytes <= 16; ++lane) {
    const uint64_t bits = std::stoull(value["value"][lane].get<std::string>());
    std::memcpy(vector + lane * bytes, &bits, bytes);  // little-endian, as wasm lanes are
  }
  uint64_t halves[2];
  std::memcpy(halves, vector, 16);
  slots.push_back(halves[0]);
  slots.push_back(halves[1]);
}

class Runner {
 public:
  Runner(engine::Engine& engine, std::filesystem::path dir) : engine_(engine), dir_(std::move(dir)) {}

  void run(const Json& command, Counts& counts, const std::string& file);
  // Set once a module the interface cannot express was skipped: later commands may depend on
  // its effects (a shared table it filled), so they are skipped too.
  bool tainted() const { return tainted_; }

 private:
  struct Loaded {
    std::shared_ptr<engine::LoadedModule> module;
    std::unique_ptr<engine::Instance> instance;
  };

  std::vector<engine::HostFunction> host_functions(const engine::LoadedModule& module);
  std::optional<engine::CallOutcome> invoke(const Json& action, bool* supported);
  bool load(const Json& command, Loaded* out, std::string* error, bool* supported);

  engine::Engine& engine_;
  std::filesystem::path dir_;
  std::shared_ptr<Loaded> current_;
  std::map<std::string, std::shared_ptr<Loaded>> named_;
  std::map<std::string, std::shared_ptr<Loaded>> registered_;
  limits::Limits limits_ = spec_limits();
  bool tainted_ = false;

  static limits::Limits spec_limits() {
    limits::Limits limits;
    limits.max_memory_pages = 65536;  // the suite grows memories to the wasm32 maximum
    return limits;
  }
};

std::vector<engine::HostFunction> Runner::host_functions(const engine::LoadedModule& module) {
  std::vector<engine::HostFunction> functions;
  for (const auto& import : module.function_imports()) {
    if (import.module == "spectest") {
      // The spectest module's functions, with their real types: a mismatched import is unlinkable.
      using V = engine::ValueType;
      static const std::map<std::string, std::vector<V>> kPrints = {{"print", {}},
                                                                    {"print_i32", {V::I32}},
                                                                    {"print_i64", {V::I64}},
                                                                    {"print_f32", {V::F32}},
                                                                    {"print_f64", {V::F64}},
                                                                    {"print_i32_f32", {V::I32, V::F32}},
                                                                    {"print_f64_f64", {V::F64, V::F64}}};
      auto print = kPrints.find(import.name);
      if (print != kPrints.end()) {
        functions.push_back({import.module, import.name, {print->second, {}}, [](engine::HostContext&, auto, auto) {
                               return std::optional<engine::Trap>();
                             }});
      }
      continue;
    }
    auto found = registered_.find(import.module);
    if (found == registered_.end()) continue;  // reported by the engine as an unknown import
    auto target = found->second;
    auto exported = target->module->export_signature(import.name);
    if (!exported) continue;  // no such export: an unknown import
    std::string name = import.name;
    functions.push_back({import.module, import.name, *exported,
                         [this, target, name](engine::HostContext&, std::span<const uint64_t> args,
                                              std::span<uint64_t> results) -> std::optional<engine::Trap> {
                           auto outcome = target->instance->call(name, args, limits_);
                           if (outcome.trap) return outcome.trap;
                           for (size_t i = 0; i < results.size() && i < outcome.results.size(); ++i)
                             results[i] = outcome.results[i];
                           return std::nullopt;
                         }});
  }
  return functions;
}

bool Runner::load(const Json& command, Loaded* out, std::string* error, bool* supported) {
  auto bytes = read_file_or_stdin((dir_ / command["filename"].get<std::string>()).string());
  if (!bytes) {
    *error = bytes.error().message;
    return false;
  }
  if (command.value("module_type", "binary") == "text") {
    // The text-format assert_malformed modules: what watc compiles must reject every one.
    auto compiled = wat::compile(*bytes, command["filename"].get<std::string>(), {});
    if (!compiled) {
      *error = compiled.error().message;
      return false;
    }
    bytes = std::move(compiled);
  }
  auto module = engine_.load(*bytes, command["filename"].get<std::string>());
  if (!module) {
    *error = module.error().message;
    if (error->find("only functions can be imported") != std::string::npos) *supported = false;
    return false;
  }
  out->module = std::move(module.value());
  auto instance = out->module->instantiate(host_functions(*out->module), limits_);
  if (!instance) {
    *error = instance.error().message;
    // Imports of spectest tables, memories or globals: beyond the function-only interface.
    if (error->find("only functions can be imported") != std::string::npos ||
        error->find("unsupported import") != std::string::npos) {
      *supported = false;
    }
    return false;
  }
  out->instance = std::move(instance.value());
  return true;
}

std::optional<engine::CallOutcome> Runner::invoke(const Json& action, bool* supported) {
  if (action["type"] != "invoke") {
    *supported = false;
    return std::nullopt;
  }
  std::shared_ptr<Loaded> target = current_;
  if (action.contains("module")) {
    auto found = named_.find(action["module"].get<std::string>());
    target = found == named_.end() ? nullptr : found->second;
  }
  if (!target || !target->instance) {
    *supported = false;
    return std::nullopt;
  }
  std::vector<uint64_t> args;
  for (const auto& arg : action["args"]) {
    if (!value_type(arg["type"])) {
      *supported = false;
      return std::nullopt;
    }
    if (arg["type"] == "v128")
      append_v128(arg, args);
    else
      args.push_back(std::stoull(arg["value"].get<std::string>()));
  }
  return target->instance->call(action["field"].get<std::string>(), args, limits_);
}

bool matches_scalar(const std::string& type, const std::string& value, uint64_t actual) {
  if (value == "nan:canonical" || value == "nan:arithmetic") {
    const bool is_f32 = type == "f32";
    const uint64_t exponent = is_f32 ? 0x7f800000u : 0x7ff0000000000000ull;
    const uint64_t quiet = is_f32 ? 0x00400000u : 0x0008000000000000ull;
    const uint64_t mantissa = is_f32 ? 0x007fffffu : 0x000fffffffffffffull;
    if ((actual & exponent) != exponent) return false;
    return value == "nan:canonical" ? (actual & mantissa) == quiet : (actual & quiet) != 0;
  }
  uint64_t bits = std::stoull(value);
  if (type == "i32" || type == "f32") return static_cast<uint32_t>(actual) == static_cast<uint32_t>(bits);
  return actual == bits;
}

// Whether the result slots at `actual` hold `expected`, lane by lane for a v128 (whose float
// lanes may each expect a NaN pattern).
bool matches(const Json& expected, const uint64_t* actual) {
  const std::string type = expected["type"];
  if (type != "v128") return matches_scalar(type, expected["value"], *actual);
  const std::string lane_type = expected["lane_type"];
  const int bytes = lane_bytes(lane_type);
  uint8_t vector[16];
  std::memcpy(vector, actual, 16);
  if (expected["value"].size() * bytes != 16) return false;
  for (size_t lane = 0; lane < expected["value"].size(); ++lane) {
    uint64_t bits = 0;
    std::memcpy(&bits, vector + lane * bytes, bytes);
    const std::string value = expected["value"][lane];
    if (bytes < 4) {
      if (bits != (std::stoull(value) & ((uint64_t{1} << (8 * bytes)) - 1))) return false;
    } else if (!matches_scalar(lane_type, value, bits)) {
      return false;
    }
  }
  return true;
}

void Runner::run(const Json& command, Counts& counts, const std::string& file) {
  const std::string type = command["type"];
  bool supported = true;
  auto fail = [&](const std::string& why) {
    ++counts.failed;
    std::cerr << file << ":" << command.value("line", 0) << ": " << type << ": " << why << '\n';
  };
  if (type == "module") {
    auto loaded = std::make_shared<Loaded>();
    std::string error;
    if (load(command, loaded.get(), &error, &supported)) {
      current_ = loaded;
      if (command.contains("name")) named_[command["name"]] = loaded;
      ++counts.passed;
    } else {
      current_.reset();
      if (supported) {
        fail(error);
      } else {
        ++counts.skipped;
        tainted_ = true;
      }
    }
  } else if (type == "register") {
    std::shared_ptr<Loaded> target = current_;
    if (command.contains("name")) target = named_.count(command["name"]) ? named_[command["name"]] : nullptr;
    if (target) registered_[command["as"]] = target;
  } else if (type == "assert_return" || type == "action") {
    for (const auto& expected : command.value("expected", Json::array())) {
      if (!value_type(expected["type"])) supported = false;  // reference results
    }
    std::optional<engine::CallOutcome> outcome;
    if (supported) outcome = invoke(command["action"], &supported);
    if (!supported) {
      ++counts.skipped;
      tainted_ = true;  // it may have changed state later commands observe
    } else if (outcome->trap) {
      fail("trapped: " + outcome->trap->message);
    } else if (type == "assert_return") {
      const auto& expected = command["expected"];
      std::vector<engine::ValueType> types;
      for (const auto& value : expected) types.push_back(*value_type(value["type"]));
      bool ok = engine::slot_count(types) == outcome->results.size();
      for (size_t i = 0, slot = 0; ok && i < expected.size(); slot += engine::slot_count({&types[i], 1}), ++i)
        ok = matches(expected[i], outcome->results.data() + slot);
      if (ok)
        ++counts.passed;
      else {
        std::string actual;
        for (uint64_t value : outcome->results) actual += " " + std::to_string(value);
        fail("wrong result:" + actual + ", expected " + expected.dump());
      }
    } else {
      ++counts.passed;
    }
  } else if (type == "assert_trap" || type == "assert_exhaustion") {
    if (command["action"]["type"] != "invoke") {
      ++counts.skipped;
      return;
    }
    auto outcome = invoke(command["action"], &supported);
    if (!supported) {
      ++counts.skipped;
      tainted_ = true;
    } else if (outcome->trap && outcome->trap->kind == engine::TrapKind::Guest)
      ++counts.passed;
    else
      fail("expected a trap (" + command.value("text", std::string()) + "), got " +
           (outcome->trap ? "a host or limit stop: " + outcome->trap->message : std::string("no trap")));
  } else if (type == "assert_invalid" || type == "assert_malformed" || type == "assert_unlinkable" ||
             type == "assert_uninstantiable") {
    Loaded loaded;
    std::string error;
    if (load(command, &loaded, &error, &supported))
      fail("loaded, expected " + command.value("text", std::string()));
    else if (!supported)
      ++counts.skipped;
    else
      ++counts.passed;
  } else {
    ++counts.skipped;
  }
}

}  // namespace

int main(int argc, char** argv) {
  wascc::test::use_xdg_cache_home();
  int first = 1;
  long min_passed = 0;
  if (argc > 2 && std::string(argv[1]) == "--min-passed") {
    min_passed = std::stol(argv[2]);
    first = 3;
  }
  if (argc < first + 2) {
    std::cerr << "usage: wascc_spec_runner [--min-passed N] ENGINE FILE.json...\n";
    return 2;
  }
  Counts total;
  for (int i = first + 1; i < argc; ++i) {
    auto engine = guest_launch::create_engine(argv[first]);
    if (!engine) {
      std::cerr << engine.error().message << '\n';
      return 2;
    }
    std::filesystem::path path(argv[i]);
    auto text = read_file_or_stdin(path.string());
    if (!text) {
      std::cerr << text.error().message << '\n';
      return 2;
    }
    Json spec = Json::parse(text->begin(), text->end());
    Runner runner(**engine, path.parent_path());
    Counts counts;
    for (const auto& command : spec["commands"]) {
      if (runner.tainted()) {
        ++counts.skipped;
        continue;
      }
      runner.run(command, counts, path.filename().string());
    }
    std::printf("%s: %d/%d (skipped %d)\n", path.stem().c_str(), counts.passed, counts.passed + counts.failed,
                counts.skipped);
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  std::printf("skipped %d\n%d passed, %d failed\n", total.skipped, total.passed, total.failed);
  if (total.passed < min_passed) {
    std::fprintf(stderr, "only %d commands passed, expected at least %ld\n", total.passed, min_passed);
    return 1;
  }
  return total.failed == 0 ? 0 : 1;
}
