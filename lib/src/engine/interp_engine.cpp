#include "wascc/engine/interp_engine.h"

#include <algorithm>

#include "wasm/wabt_bridge.h"
#include "wabt_interp_core.h"
#include "wascc/engine/metering.h"

namespace wascc::interp_engine {
namespace {

using engine::CallOutcome;
using engine::HostFunction;
using engine::Signature;
using engine::Trap;
using engine::TrapKind;
using engine::ValueType;

std::optional<Signature> signature_of(const interp_core::FunctionType& type) {
  Signature signature;
  auto convert = [](interp_core::Type from, std::vector<ValueType>& into) {
    if (from == interp_core::Type::Other) return false;
    into.push_back(static_cast<ValueType>(static_cast<int>(from)));
    return true;
  };
  for (auto param : type.params) {
    if (!convert(param, signature.params)) return std::nullopt;
  }
  for (auto result : type.results) {
    if (!convert(result, signature.results)) return std::nullopt;
  }
  return signature;
}

Trap host_trap(std::string message) { return Trap{TrapKind::Host, std::move(message), {}, 0}; }

class InterpMemory : public engine::GuestMemory {
 public:
  explicit InterpMemory(interp_core::Instance* instance) : instance_(instance) {}
  uint8_t* data() override { return instance_->memory_data(); }
  uint64_t size() const override { return instance_->memory_size(); }

 private:
  interp_core::Instance* instance_;
};

class InterpInstance : public engine::Instance {
 public:
  Result<Unit, Trap> start(const interp_core::Module& module, const std::vector<HostFunction>& host_functions,
                           const limits::Limits& limits);

  bool has_function(std::string_view name) const override {
    return std::find(function_names_.begin(), function_names_.end(), name) != function_names_.end();
  }
  engine::GuestMemory* memory() override { return exported_memory_ ? &*exported_memory_ : nullptr; }

  CallOutcome call(std::string_view name, std::span<const uint64_t> args, const limits::Limits& limits) override {
    CallOutcome outcome;
    budget_.start(limits);
    pending_trap_.reset();
    std::string message;
    if (!core_->call(std::string(name), std::vector<uint64_t>(args.begin(), args.end()), &outcome.results, &message)) {
      outcome.trap = classify(std::move(message));
    }
    return outcome;
  }

 private:
  interp_core::HostFunction bind(const HostFunction& function);
  interp_core::HostFunction bind_limit(std::string_view name);
  // A host function's own trap (with its kind) wins over the interpreter's message.
  Trap classify(std::string interpreter_message) {
    if (pending_trap_) return std::exchange(pending_trap_, std::nullopt).value();
    return Trap{TrapKind::Guest, std::move(interpreter_message), {}, 0};
  }
  bool raise(Trap trap, std::string* message) {
    *message = trap.message;
    pending_trap_ = std::move(trap);
    return false;
  }

  std::unique_ptr<interp_core::Instance> core_;
  std::optional<InterpMemory> exported_memory_;
  std::vector<std::string> function_names_;
  limits::Budget budget_;
  std::optional<Trap> pending_trap_;
};

interp_core::HostFunction InterpInstance::bind(const HostFunction& function) {
  return [this, function](const uint64_t* args, uint64_t* results, std::string* message) {
    engine::HostContext context{memory(), budget_.deadline()};
    std::vector<uint64_t> outs(engine::slot_count(function.signature.results), 0);
    std::optional<Trap> trap;
    try {
      trap = function.callback(context, std::span<const uint64_t>(args, engine::slot_count(function.signature.params)),
                               outs);
    } catch (const std::exception& error) {
      trap = host_trap(function.module + "." + function.name + " failed: " + error.what());
    }
    if (trap) return raise(std::move(*trap), message);
    std::copy(outs.begin(), outs.end(), results);
    return true;
  };
}

interp_core::HostFunction InterpInstance::bind_limit(std::string_view name) {
  if (name == metering::kFuelImport) {
    return [this](const uint64_t*, uint64_t* results, std::string* message) {
      auto slice = budget_.refuel();
      if (!slice) {
        auto kind = *budget_.exceeded();
        return raise(Trap{TrapKind::Limit, limits::limit_message(kind, budget_.limits()), kind, 0}, message);
      }
      results[0] = static_cast<uint64_t>(*slice);
      return true;
    };
  }
  return [this](const uint64_t* args, uint64_t* results, std::string* message) {
    const uint64_t delta = static_cast<uint32_t>(args[0]);
    const uint64_t pages = core_->memory_pages();
    if (!budget_.allow_memory_growth(pages, delta)) {
      return raise(Trap{TrapKind::Limit, limits::limit_message(limits::LimitKind::Memory, budget_.limits()),
                        limits::LimitKind::Memory, 0},
                   message);
    }
    results[0] = core_->memory_grow(delta) ? pages : 0xFFFFFFFFu;
    return true;
  };
}

Result<Unit, Trap> InterpInstance::start(const interp_core::Module& module,
                                         const std::vector<HostFunction>& host_functions,
                                         const limits::Limits& limits) {
  std::vector<interp_core::HostFunction> bound;
  for (const auto& import : module.imports()) {
    if (!import.is_function) {
      return host_trap("unsupported import " + import.module + "." + import.name + ": only functions can be imported");
    }
    if (import.module == metering::kImportModule) {
      bound.push_back(bind_limit(import.name));
      continue;
    }
    auto found = engine::find_host_function(host_functions, import.module, import.name, signature_of(import.type));
    if (!found) return found.error();
    bound.push_back(bind(**found));
  }
  for (const auto& exported : module.exports()) {
    if (exported.kind == interp_core::ExportKind::Function) function_names_.push_back(exported.name);
  }
  budget_.start(limits);
  std::string message;
  auto start_trap = [&] {
    Trap trap = classify(std::move(message));
    if (trap.kind == TrapKind::Guest) trap.message = "start function trapped: " + trap.message;
    return trap;
  };
  core_ = interp_core::Instance::instantiate(module, std::move(bound), &message);
  if (!core_) return start_trap();
  // The instance and its exported memory exist before the start function runs: every host
  // function works during it (OPA policies grow memory from their start code).
  for (const auto& exported : module.exports()) {
    if (exported.kind == interp_core::ExportKind::Memory && exported.name == "memory")
      exported_memory_.emplace(core_.get());
  }
  if (!core_->run_start(&message)) {
    Trap trap = start_trap();
    // proc_exit(0) in a start function ends it successfully, as in _start.
    if (trap.kind != TrapKind::Exit || trap.exit_code != 0) return trap;
  }
  return Unit{};
}

class InterpModule : public engine::LoadedModule {
 public:
  InterpModule(std::shared_ptr<interp_core::Module> core, declared_sizes::DeclaredSizes sizes)
      : core_(std::move(core)), sizes_(sizes) {
    for (const auto& import : core_->imports()) {
      if (!import.is_function || import.module == metering::kImportModule) continue;
      imports_.push_back({import.module, import.name, signature_of(import.type).value_or(Signature{})});
    }
  }
  const std::vector<engine::FunctionImport>& function_imports() const override { return imports_; }
  bool exports_function(std::string_view name) const override {
    return has_export(name, interp_core::ExportKind::Function);
  }
  bool exports_memory(std::string_view name) const override {
    return has_export(name, interp_core::ExportKind::Memory);
  }
  std::optional<Signature> export_signature(std::string_view name) const override {
    for (const auto& exported : core_->exports()) {
      if (exported.kind == interp_core::ExportKind::Function && exported.name == name)
        return signature_of(exported.type);
    }
    return std::nullopt;
  }

  Result<std::unique_ptr<engine::Instance>, Trap> instantiate(const std::vector<HostFunction>& host_functions,
                                                              const limits::Limits& limits) override {
    if (auto refused = engine::check_declared_sizes(sizes_, limits)) return *refused;
    if (auto refused = check_stack(limits)) return *refused;
    auto instance = std::make_unique<InterpInstance>();
    auto started = instance->start(*core_, host_functions, limits);
    if (!started) return started.error();
    return std::unique_ptr<engine::Instance>(std::move(instance));
  }

 private:
  // The interpreter's stack is heap memory, so it counts against the memory limit (a recursion
  // of functions with 49,000 locals each would take 1.2 GiB); native code has a real stack.
  std::optional<Trap> check_stack(const limits::Limits& limits) const {
    const uint64_t worst = interp_core::worst_case_stack_bytes(sizes_.most_locals);
    const uint64_t allowed = uint64_t{limits.max_memory_pages} * 65536;
    if (worst <= allowed) return std::nullopt;
    return Trap{TrapKind::Limit,
                "function " + std::to_string(sizes_.function_with_most_locals) + " has " +
                    std::to_string(sizes_.most_locals) + " locals: a recursion of it could take " +
                    std::to_string(worst >> 20) + " MiB of the interpreter's stack, over the memory limit of " +
                    std::to_string(limits.max_memory_pages) + " pages (the aot engine runs it on a native stack)",
                limits::LimitKind::Memory, 0};
  }

  bool has_export(std::string_view name, interp_core::ExportKind kind) const {
    return std::any_of(core_->exports().begin(), core_->exports().end(),
                       [&](const interp_core::Export& e) { return e.kind == kind && e.name == name; });
  }
  std::shared_ptr<interp_core::Module> core_;
  declared_sizes::DeclaredSizes sizes_;
  std::vector<engine::FunctionImport> imports_;
};

class InterpEngine : public engine::Engine {
 public:
  explicit InterpEngine(wasm_features::FeatureSet features) : features_(std::move(features)) {}
  std::string_view name() const override { return "interp"; }

  Result<std::shared_ptr<engine::LoadedModule>> load(ByteView wasm, const std::string& filename) override {
    auto instrumented = metering::instrument(wasm, filename, features_);
    if (!instrumented) return instrumented.error();
    auto sizes = engine::read_loadable_sizes(wasm, filename);
    if (!sizes) return sizes.error();
    std::string error;
    auto core = interp_core::Module::load(instrumented->data(), instrumented->size(), filename,
                                          wabt_bridge::to_wabt(features_), &error);
    if (!core) return invalid_error(filename + ": error: " + error);
    return std::shared_ptr<engine::LoadedModule>(std::make_shared<InterpModule>(std::move(core), *sizes));
  }

 private:
  wasm_features::FeatureSet features_;
};

}  // namespace

std::unique_ptr<engine::Engine> create(const wasm_features::FeatureSet& features) {
  return std::make_unique<InterpEngine>(features);
}

}  // namespace wascc::interp_engine
