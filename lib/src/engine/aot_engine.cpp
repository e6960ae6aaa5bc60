#include "wascc/engine/aot_engine.h"

#include <dlfcn.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>

#include "aot_compiler.h"
#include "aot_runtime.h"
#include "aot_shim.h"
#include "wascc/engine/aot_cache.h"
#include "wascc/engine/metering.h"

namespace wascc::aot_engine {
namespace {

using engine::CallOutcome;
using engine::HostFunction;
using engine::Signature;
using engine::Trap;
using engine::TrapKind;
using engine::ValueType;

using NewFn = int (*)(void* host, aot_shim::Dispatch dispatch, void** out, uint32_t* trap);
using CallFn = int (*)(void* module, uint32_t index, const uint64_t* args, uint64_t* results, uint32_t* trap);
using MemoryFn = uint8_t* (*)(void* module, uint64_t* size);
using FreeFn = void (*)(void* module);
using DescribeFn = const char* (*)();

std::vector<ValueType> parse_types(const std::string& letters) {
  std::vector<ValueType> types;
  for (char letter : letters) {
    types.push_back(letter == 'i'   ? ValueType::I32
                    : letter == 'I' ? ValueType::I64
                    : letter == 'f' ? ValueType::F32
                                    : ValueType::F64);
  }
  return types;
}

std::string unhex(const std::string& text) {
  std::string out;
  for (size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return out;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(line);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!line.empty() && line.back() == separator) parts.emplace_back();
  return parts;
}

// A loaded artifact: dlopen handle, entry points, and what it imports and exports.
struct Artifact {
  void* handle = nullptr;
  NewFn create = nullptr;
  CallFn call = nullptr;
  MemoryFn memory = nullptr;
  FreeFn destroy = nullptr;
  struct Import {
    std::string module, name;
    Signature signature;
  };
  std::vector<Import> imports;
  std::map<std::string, std::pair<uint32_t, Signature>, std::less<>> exports;
  std::vector<std::string> memories;

  ~Artifact() {
    if (handle != nullptr) ::dlclose(handle);
  }
};

Result<std::shared_ptr<Artifact>> open_artifact(const std::string& path) {
  auto artifact = std::make_shared<Artifact>();
  artifact->handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (artifact->handle == nullptr) return io_error(path + ": cannot load: " + ::dlerror());
  artifact->create = reinterpret_cast<NewFn>(::dlsym(artifact->handle, "wascc_aot_new"));
  artifact->call = reinterpret_cast<CallFn>(::dlsym(artifact->handle, "wascc_aot_call"));
  artifact->memory = reinterpret_cast<MemoryFn>(::dlsym(artifact->handle, "wascc_aot_memory"));
  artifact->destroy = reinterpret_cast<FreeFn>(::dlsym(artifact->handle, "wascc_aot_free"));
  auto describe = reinterpret_cast<DescribeFn>(::dlsym(artifact->handle, "wascc_aot_describe"));
  if (!artifact->create || !artifact->call || !artifact->memory || !artifact->destroy || !describe) {
    return io_error(path + ": not a wascc artifact");
  }
  auto lines = split(describe(), '\n');
  if (lines.empty() || lines[0] != aot_shim::kAbiVersion) return io_error(path + ": artifact of another version");
  for (size_t i = 1; i < lines.size(); ++i) {
    auto fields = split(lines[i], '\t');
    if (fields.size() == 5 && fields[0] == "import") {
      artifact->imports.push_back(
          {unhex(fields[1]), unhex(fields[2]), {parse_types(fields[3]), parse_types(fields[4])}});
    } else if (fields.size() == 5 && fields[0] == "export") {
      artifact->exports[unhex(fields[1])] = {static_cast<uint32_t>(std::stoul(fields[4])),
                                             {parse_types(fields[2]), parse_types(fields[3])}};
    } else if (fields.size() == 2 && fields[0] == "memory") {
      artifact->memories.push_back(unhex(fields[1]));
    }
  }
  return artifact;
}

class AotMemory : public engine::GuestMemory {
 public:
  // `native` points at the instance's handle, which the shim sets before the start function
  // runs (host functions called by it need the memory).
  AotMemory(const Artifact& artifact, void* const* native) : artifact_(artifact), native_(native) {}
  uint8_t* data() override {
    uint64_t size;
    return artifact_.memory(*native_, &size);
  }
  uint64_t size() const override {
    uint64_t size = 0;
    artifact_.memory(*native_, &size);
    return size;
  }

 private:
  const Artifact& artifact_;
  void* const* native_;
};

class AotInstance : public engine::Instance {
 public:
  explicit AotInstance(std::shared_ptr<Artifact> artifact) : artifact_(std::move(artifact)) {}
  ~AotInstance() override {
    if (native_ != nullptr) artifact_->destroy(native_);
  }

  Result<Unit, Trap> start(const std::vector<HostFunction>& host_functions, const limits::Limits& limits) {
    for (const auto& import : artifact_->imports) {
      if (import.module == metering::kImportModule) {
        bound_.push_back(nullptr);
        continue;
      }
      auto found = engine::find_host_function(host_functions, import.module, import.name, import.signature);
      if (!found) return found.error();
      bound_.push_back(*found);
    }
    host_functions_ = host_functions;  // keep the callbacks alive; re-point bound_ into our copy
    for (auto& pointer : bound_) {
      if (pointer != nullptr) pointer = &host_functions_[static_cast<size_t>(pointer - host_functions.data())];
    }
    budget_.start(limits);
    if (std::find(artifact_->memories.begin(), artifact_->memories.end(), "memory") != artifact_->memories.end()) {
      memory_.emplace(*artifact_, &native_);
    }
    uint32_t trap_code = 0;
    if (!artifact_->create(this, &AotInstance::dispatch, &native_, &trap_code)) {
      Trap trap = classify(trap_code);
      // proc_exit(0) in a start function ends it successfully, as in _start.
      if (trap.kind == TrapKind::Exit && trap.exit_code == 0) return Unit{};
      if (native_ != nullptr) artifact_->destroy(native_);
      native_ = nullptr;
      if (trap.kind == TrapKind::Guest) trap.message = "start function trapped: " + trap.message;
      return trap;
    }
    return Unit{};
  }

  bool has_function(std::string_view name) const override { return artifact_->exports.count(name) != 0; }
  engine::GuestMemory* memory() override { return memory_ ? &*memory_ : nullptr; }

  CallOutcome call(std::string_view name, std::span<const uint64_t> args, const limits::Limits& limits) override {
    CallOutcome outcome;
    if (last_export_ == nullptr || name != last_export_->first) {
      auto found = artifact_->exports.find(name);
      if (found == artifact_->exports.end()) {
        outcome.trap = host_trap("no exported function " + std::string(name));
        return outcome;
      }
      last_export_ = &*found;
    }
    const auto& [index, signature] = last_export_->second;
    uint64_t results[16] = {};
    budget_.start(limits);
    pending_trap_.reset();
    uint32_t trap_code = 0;
    if (!artifact_->call(native_, index, args.data(), results, &trap_code)) {
      outcome.trap = classify(trap_code);
      return outcome;
    }
    outcome.results.assign(results, results + std::min<size_t>(signature.results.size(), 16));
    return outcome;
  }

 private:
  static Trap host_trap(std::string message) { return Trap{TrapKind::Host, std::move(message), {}, 0}; }

  Trap classify(uint32_t trap_code) {
    if (pending_trap_) return std::exchange(pending_trap_, std::nullopt).value();
    return Trap{TrapKind::Guest, wasm_rt_strerror(static_cast<wasm_rt_trap_t>(trap_code)), {}, 0};
  }

  // Called from the C shim for every import. Never lets an exception cross into C: a
  // refusal is recorded and reported as 0, and the shim traps from C.
  static int dispatch(void* host, uint32_t index, const uint64_t* args, uint64_t* results) noexcept {
    auto* self = static_cast<AotInstance*>(host);
    try {
      return self->handle(index, args, results) ? 1 : 0;
    } catch (const std::exception& error) {
      self->pending_trap_ = host_trap(std::string("host function failed: ") + error.what());
    } catch (...) {
      self->pending_trap_ = host_trap("host function failed");
    }
    return 0;
  }

  bool handle(uint32_t index, const uint64_t* args, uint64_t* results) {
    const auto& import = artifact_->imports.at(index);
    if (import.module == metering::kImportModule) {
      if (import.name == metering::kFuelImport) {
        auto slice = budget_.refuel();
        if (!slice) return refuse_limit(*budget_.exceeded());
        results[0] = static_cast<uint64_t>(*slice);
        return true;
      }
      // memory_grow: args = {delta, current pages}; the shim grows the memory itself.
      if (!budget_.allow_memory_growth(args[1], static_cast<uint32_t>(args[0]))) {
        return refuse_limit(limits::LimitKind::Memory);
      }
      return true;
    }
    const HostFunction& function = *bound_.at(index);
    engine::HostContext context{memory(), budget_.deadline()};
    auto trap = function.callback(context, std::span<const uint64_t>(args, function.signature.params.size()),
                                  std::span<uint64_t>(results, function.signature.results.size()));
    if (trap) {
      pending_trap_ = std::move(trap);
      return false;
    }
    return true;
  }

  bool refuse_limit(limits::LimitKind kind) {
    pending_trap_ = Trap{TrapKind::Limit, limits::limit_message(kind, budget_.limits()), kind, 0};
    return false;
  }

  std::shared_ptr<Artifact> artifact_;
  void* native_ = nullptr;
  std::vector<HostFunction> host_functions_;
  std::vector<const HostFunction*> bound_;
  std::optional<AotMemory> memory_;
  limits::Budget budget_;
  std::optional<Trap> pending_trap_;
  // The export called last: a host calls one (__guest_call) again and again, and a map lookup
  // by name was a tenth of an echo round trip.
  const std::pair<const std::string, std::pair<uint32_t, Signature>>* last_export_ = nullptr;
};

class AotModule : public engine::LoadedModule {
 public:
  AotModule(std::shared_ptr<Artifact> artifact, declared_sizes::DeclaredSizes sizes)
      : artifact_(std::move(artifact)), sizes_(sizes) {
    for (const auto& import : artifact_->imports) {
      if (import.module != metering::kImportModule) imports_.push_back({import.module, import.name, import.signature});
    }
  }
  const std::vector<engine::FunctionImport>& function_imports() const override { return imports_; }
  bool exports_function(std::string_view name) const override { return artifact_->exports.count(name) != 0; }
  bool exports_memory(std::string_view name) const override {
    return std::find(artifact_->memories.begin(), artifact_->memories.end(), name) != artifact_->memories.end();
  }
  std::optional<Signature> export_signature(std::string_view name) const override {
    auto found = artifact_->exports.find(name);
    if (found == artifact_->exports.end()) return std::nullopt;
    return found->second.second;
  }
  Result<std::unique_ptr<engine::Instance>, Trap> instantiate(const std::vector<HostFunction>& host_functions,
                                                              const limits::Limits& limits) override {
    if (auto refused = engine::check_declared_sizes(sizes_, limits)) return *refused;
    auto instance = std::make_unique<AotInstance>(artifact_);
    auto started = instance->start(host_functions, limits);
    if (!started) return started.error();
    return std::unique_ptr<engine::Instance>(std::move(instance));
  }

 private:
  std::shared_ptr<Artifact> artifact_;
  declared_sizes::DeclaredSizes sizes_;
  std::vector<engine::FunctionImport> imports_;
};

class AotEngine : public engine::Engine {
 public:
  AotEngine(wasm_features::FeatureSet features, Toolchain toolchain)
      : features_(std::move(features)), toolchain_(std::move(toolchain)) {}
  std::string_view name() const override { return "aot"; }

  Result<std::shared_ptr<engine::LoadedModule>> load(ByteView wasm, const std::string& filename) override {
    // Refused before compiling (a million locals would keep gcc busy for minutes); what is
    // malformed is left to the compiler's validation, whose messages name it best.
    auto sizes = declared_sizes::read(wasm);
    if (sizes) {
      if (auto loadable = engine::check_loadable(*sizes, filename); !loadable) return loadable.error();
    }
    auto built = precompile(wasm, filename, features_, toolchain_);
    if (!built) return built.error();
    if (!sizes) return sizes.error();
    auto artifact = open_artifact(built->artifact_path);
    if (!artifact) return artifact.error();
    return std::shared_ptr<engine::LoadedModule>(std::make_shared<AotModule>(std::move(artifact.value()), *sizes));
  }

 private:
  wasm_features::FeatureSet features_;
  Toolchain toolchain_;
};

}  // namespace

namespace {
std::mutex g_default_mutex;
Toolchain g_default_toolchain;
}  // namespace

void set_default_toolchain(const Toolchain& toolchain) {
  std::lock_guard lock(g_default_mutex);
  g_default_toolchain = toolchain;
}

static std::function<void(const std::string&, double)> default_on_compile() {
  std::lock_guard lock(g_default_mutex);
  return g_default_toolchain.on_compile;
}

std::string cache_directory(const Toolchain& toolchain) {
  if (!toolchain.cache_directory.empty()) return toolchain.cache_directory;
  {
    std::lock_guard lock(g_default_mutex);
    if (!g_default_toolchain.cache_directory.empty()) return g_default_toolchain.cache_directory;
  }
  // The password database, not $HOME: the library reads no environment (the tools pass
  // $XDG_CACHE_HOME in).
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr && *found->pw_dir != '\0') {
    return std::string(found->pw_dir) + "/.cache/wascc/aot";
  }
  return "/tmp/wascc-aot-" + std::to_string(::geteuid());
}

std::string compiler(const Toolchain& toolchain) {
  if (!toolchain.compiler.empty()) return toolchain.compiler;
  {
    std::lock_guard lock(g_default_mutex);
    if (!g_default_toolchain.compiler.empty()) return g_default_toolchain.compiler;
  }
  // The system's default path (confstr), not $PATH: see cache_directory.
  std::string dirs(256, '\0');
  const size_t needed = ::confstr(_CS_PATH, dirs.data(), dirs.size());
  dirs.resize(needed > 0 ? needed - 1 : 0);
  if (dirs.empty()) dirs = "/usr/bin:/bin";
  const std::string found = find_cc(dirs);
  return found.empty() ? "cc" : found;
}

size_t split_bytes(const Toolchain& toolchain) {
  if (toolchain.split_bytes != 0) return toolchain.split_bytes;
  std::lock_guard lock(g_default_mutex);
  return g_default_toolchain.split_bytes;
}

std::string find_cc(const std::string& directories) {
  for (size_t start = 0; start < directories.size();) {
    size_t end = directories.find(':', start);
    if (end == std::string::npos) end = directories.size();
    const std::string candidate = directories.substr(start, end - start) + "/cc";
    if (end > start && ::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

namespace {
std::atomic<uint64_t> g_cache_hits{0}, g_compiles{0};
}  // namespace

CacheCounts cache_counts() { return {g_cache_hits.load(), g_compiles.load()}; }

Result<CacheInfo> precompile(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features,
                             const Toolchain& toolchain) {
  if (auto safe = aot_compiler::check_cache_directory(toolchain); !safe) return safe.error();
  const std::string key = aot_compiler::cache_key(wasm, features, toolchain);
  if (auto cached = aot_compiler::find_cached(key, toolchain)) {
    ++g_cache_hits;
    return CacheInfo{*cached, true, 0};
  }
  const auto on_compile = toolchain.on_compile ? toolchain.on_compile : default_on_compile();
  if (on_compile) on_compile(filename, -1);
  Toolchain building = toolchain;
  if (!building.on_progress) {
    std::lock_guard lock(g_default_mutex);
    building.on_progress = g_default_toolchain.on_progress;
  }
  auto built = aot_compiler::build(wasm, filename, features, key, building);
  if (on_compile) on_compile(filename, built ? built->compile_milliseconds : 0);
  if (!built) return built.error();
  ++g_compiles;
  (void)aot_cache::trim(cache_directory(toolchain), aot_cache::kDefaultMaxBytes,
                        key);  // best effort: the artifact is built
  return built;
}

bool is_cached(ByteView wasm, const wasm_features::FeatureSet& features, const Toolchain& toolchain) {
  return aot_compiler::find_cached(aot_compiler::cache_key(wasm, features, toolchain), toolchain).has_value();
}

std::unique_ptr<engine::Engine> create(const wasm_features::FeatureSet& features, const Toolchain& toolchain) {
  return std::make_unique<AotEngine>(features, toolchain);
}

}  // namespace wascc::aot_engine
