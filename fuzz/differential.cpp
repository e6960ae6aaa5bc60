// The engine differential: runs one module on the interpreter and on AOT, calling every exported
// function in order with zero arguments (as Binaryen's --fuzz-exec does), and compares what
// each call returns or traps with, what the module logs through Binaryen's fuzzing-support
// imports, and the exported memory at the end. Floats compare bit for bit except that any NaN
// equals any NaN (the spec leaves NaN payloads open). A call that hits a limit on either engine
// ends the comparison of that module: past a limit the two need not agree.
//
//   wascc_differential [-v] FILE.wasm   exit 0 agree, 1 diverge (each difference on stderr),
//                                       2 the module cannot be read; -v: what was compared
#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/engine/interp_engine.h"
#include "wascc/wasm/leb128.h"
#include "wascc/wasm/module.h"
#include "aot_cache_environment.h"

using namespace wascc;
using engine::ValueType;

namespace {

constexpr uint8_t kExportSectionId = 7;
constexpr uint8_t kFunctionExport = 0;

// The names of the exported functions, in the export section's order.
Result<std::vector<std::string>> exported_functions(ByteView wasm) {
  auto layout = module::read_layout(wasm);
  if (!layout) return layout.error();
  std::vector<std::string> names;
  for (const auto& section : layout->sections) {
    if (section.id != kExportSectionId) continue;
    size_t at = section.payload_start;
    auto count = leb128::read_u32(wasm, at);
    if (!count) return count.error();
    at += count->length;
    for (uint32_t i = 0; i < count->value; ++i) {
      auto length = leb128::read_u32(wasm, at);
      if (!length || at + length->length + length->value + 1 > section.end()) return input_error("bad export section");
      at += length->length;
      std::string name(reinterpret_cast<const char*>(wasm.data() + at), length->value);
      at += length->value;
      const uint8_t kind = wasm[at++];
      auto index = leb128::read_u32(wasm, at);
      if (!index) return index.error();
      at += index->length;
      if (kind == kFunctionExport) names.push_back(std::move(name));
    }
  }
  return names;
}

struct Value {
  ValueType type;
  uint64_t bits;
};

bool same(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  if (a.type == ValueType::F32) {
    float x, y;
    const auto xa = static_cast<uint32_t>(a.bits), yb = static_cast<uint32_t>(b.bits);
    std::memcpy(&x, &xa, 4);
    std::memcpy(&y, &yb, 4);
    if (std::isnan(x) && std::isnan(y)) return true;
    return xa == yb;
  }
  if (a.type == ValueType::F64) {
    double x, y;
    std::memcpy(&x, &a.bits, 8);
    std::memcpy(&y, &b.bits, 8);
    if (std::isnan(x) && std::isnan(y)) return true;
  }
  return a.bits == b.bits;
}

std::string shown(const Value& value) {
  static const char* names[] = {"i32", "i64", "f32", "f64"};
  return std::string(names[static_cast<int>(value.type)]) + ":0x" + [&] {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%llx", static_cast<unsigned long long>(value.bits));
    return std::string(hex);
  }();
}

// What one call or one log did.
struct Event {
  std::string what;  // "call NAME" or "log"
  bool trapped = false;
  std::vector<Value> values;  // a call's results, a log's argument

  std::string text() const {
    std::string out = what + (trapped ? " traps" : what == "log" ? "" : " =>");
    for (const auto& value : values) out += " " + shown(value);
    return out;
  }
  bool operator==(const Event& other) const {
    if (what != other.what || trapped != other.trapped || values.size() != other.values.size()) return false;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!same(values[i], other.values[i])) return false;
    }
    return true;
  }
};

// One engine's run of the module: what each call did, in order.
struct Run {
  std::vector<Event> events;
  bool hit_limit = false;
  std::string refused;  // the engine would not load or link the module, or its start trapped
  Bytes memory;
};

std::vector<engine::HostFunction> logging_imports(Run& run) {
  std::vector<engine::HostFunction> imports;
  const std::pair<const char*, ValueType> logs[] = {{"log-i32", ValueType::I32},
                                                    {"log-i64", ValueType::I64},
                                                    {"log-f32", ValueType::F32},
                                                    {"log-f64", ValueType::F64}};
  for (const auto& [name, type] : logs) {
    imports.push_back({"fuzzing-support",
                       name,
                       {{type}, {}},
                       [&run, type = type](engine::HostContext&, std::span<const uint64_t> args, std::span<uint64_t>) {
                         run.events.push_back({"log", false, {{type, args[0]}}});
                         return std::optional<engine::Trap>();
                       }});
  }
  return imports;
}

Run run_on(engine::Engine& engine, ByteView wasm, const std::vector<std::string>& exports) {
  Run run;
  limits::Limits limits;
  limits.fuel = 2'000'000'000;
  limits.timeout = std::chrono::milliseconds(5000);
  limits.max_memory_pages = 1024;
  auto loaded = engine.load(wasm, "module.wasm");
  if (!loaded) {
    run.refused = loaded.error().message;
    return run;
  }
  auto instance = (*loaded)->instantiate(logging_imports(run), limits);
  if (!instance) {
    run.refused = instance.error().message;
    run.hit_limit = instance.error().kind == engine::TrapKind::Limit;
    return run;
  }
  for (const auto& name : exports) {
    const auto signature = (*loaded)->export_signature(name);
    if (!signature) continue;
    const std::vector<uint64_t> args(signature->params.size(), 0);
    auto outcome = (*instance)->call(name, args, limits);
    Event event{"call " + name, outcome.trap.has_value(), {}};
    if (outcome.trap && outcome.trap->kind == engine::TrapKind::Limit) {
      run.hit_limit = true;
      return run;
    }
    for (size_t i = 0; !event.trapped && i < outcome.results.size() && i < signature->results.size(); ++i) {
      event.values.push_back({signature->results[i], outcome.results[i]});
    }
    run.events.push_back(std::move(event));
  }
  if (auto* memory = (*instance)->memory()) run.memory.assign(memory->data(), memory->data() + memory->size());
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  wascc::test::use_xdg_cache_home();
  const bool verbose = argc == 3 && std::strcmp(argv[1], "-v") == 0;
  if (verbose) ++argv, --argc;
  if (argc != 2) {
    std::fprintf(stderr, "usage: wascc_differential [-v] FILE.wasm\n");
    return 2;
  }
  auto wasm = read_file_or_stdin(argv[1]);
  if (!wasm) {
    std::fprintf(stderr, "%s\n", wasm.error().message.c_str());
    return 2;
  }
  auto exports = exported_functions(*wasm);
  if (!exports) {
    std::fprintf(stderr, "%s: %s\n", argv[1], exports.error().message.c_str());
    return 2;
  }
  auto interp = interp_engine::create();
  auto aot = aot_engine::create();
  const Run a = run_on(*interp, *wasm, *exports);
  const Run b = run_on(*aot, *wasm, *exports);
  if (verbose) {
    size_t traps = 0, logs = 0;
    for (const auto& event : a.events) traps += event.trapped, logs += event.what == "log";
    std::printf("%zu events compared (%zu logs, %zu traps), %zu bytes of memory%s%s\n", a.events.size(), logs, traps,
                a.memory.size(), a.hit_limit || b.hit_limit ? ", then a limit" : "",
                a.refused.empty() ? "" : (", refused: " + a.refused).c_str());
  }
  if (a.hit_limit || b.hit_limit) return 0;  // nothing comparable past a limit
  if (!a.refused.empty() || !b.refused.empty()) {
    if (a.refused.empty() != b.refused.empty()) {
      std::fprintf(stderr, "%s: one engine refused it: interp \"%s\", aot \"%s\"\n", argv[1], a.refused.c_str(),
                   b.refused.c_str());
      return 1;
    }
    return 0;  // both refused (a trap in the start function, say): they agree
  }
  if (a.events == b.events && a.memory == b.memory) return 0;
  std::fprintf(stderr, "%s: the engines diverge\n", argv[1]);
  const size_t n = std::max(a.events.size(), b.events.size());
  for (size_t i = 0; i < n; ++i) {
    const std::string x = i < a.events.size() ? a.events[i].text() : "-";
    const std::string y = i < b.events.size() ? b.events[i].text() : "-";
    std::fprintf(stderr, "  %s %-40s | aot: %s\n", x == y ? " " : "*", ("interp: " + x).c_str(), y.c_str());
  }
  if (a.memory != b.memory) {
    // Where: the first and last differing byte, and how many differ.
    size_t first = SIZE_MAX, last = 0, count = 0;
    for (size_t i = 0; i < std::min(a.memory.size(), b.memory.size()); ++i) {
      if (a.memory[i] == b.memory[i]) continue;
      first = std::min(first, i);
      last = i;
      ++count;
    }
    std::fprintf(stderr, "  * memory differs (%zu vs %zu bytes; %zu differ, 0x%zx..0x%zx)\n", a.memory.size(),
                 b.memory.size(), count, first, last);
  }
  return 1;
}
