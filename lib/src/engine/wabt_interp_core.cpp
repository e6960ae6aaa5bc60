// Built as C++17: see wabt_interp_core.h.
#include "wabt_interp_core.h"

#include <wabt/binary-reader.h>
#include <wabt/cast.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include <cstring>
#include <map>
#include <optional>

namespace wascc::interp_core {
namespace {

namespace interp = wabt::interp;

Type convert(wabt::Type type) {
  switch (type) {
    case wabt::Type::I32: return Type::I32;
    case wabt::Type::I64: return Type::I64;
    case wabt::Type::F32: return Type::F32;
    case wabt::Type::F64: return Type::F64;
    case wabt::Type::V128: return Type::V128;
    default: return Type::Other;
  }
}

FunctionType convert(const interp::FuncType& type) {
  FunctionType out;
  for (auto param : type.params) out.params.push_back(convert(param));
  for (auto result : type.results) out.results.push_back(convert(result));
  return out;
}

size_t slots_of(wabt::Type type) { return type == wabt::Type::V128 ? 2 : 1; }

// Writes `value` into its slot (two for a v128, low half first).
void to_slots(const interp::Value& value, wabt::Type type, uint64_t* out) {
  switch (type) {
    case wabt::Type::I32: *out = value.Get<interp::u32>(); return;
    case wabt::Type::I64: *out = value.Get<interp::u64>(); return;
    case wabt::Type::F32: {
      auto f = value.Get<interp::f32>();
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      *out = bits;
      return;
    }
    case wabt::Type::F64: {
      auto f = value.Get<interp::f64>();
      std::memcpy(out, &f, 8);
      return;
    }
    case wabt::Type::V128: {
      auto v = value.Get<::v128>();
      out[0] = v.u64(0);
      out[1] = v.u64(1);
      return;
    }
    default: *out = 0;
  }
}

interp::Value from_slots(const uint64_t* in, wabt::Type type) {
  switch (type) {
    case wabt::Type::I32: return interp::Value::Make(static_cast<interp::u32>(*in));
    case wabt::Type::I64: return interp::Value::Make(static_cast<interp::u64>(*in));
    case wabt::Type::F32: {
      float f;
      auto b = static_cast<uint32_t>(*in);
      std::memcpy(&f, &b, 4);
      return interp::Value::Make(f);
    }
    case wabt::Type::F64: {
      double f;
      std::memcpy(&f, in, 8);
      return interp::Value::Make(f);
    }
    case wabt::Type::V128: {
      ::v128 v;
      v.set_u64(0, in[0]);
      v.set_u64(1, in[1]);
      return interp::Value::Make(v);
    }
    default: return interp::Value::Make(interp::u32{0});
  }
}

size_t slots_of(const wabt::TypeVector& types) {
  size_t slots = 0;
  for (auto type : types) slots += slots_of(type);
  return slots;
}

// Reads values of `types` from `slots` (as many as the slots hold).
interp::Values values_from_slots(const uint64_t* slots, size_t slot_count, const wabt::TypeVector& types) {
  interp::Values values;
  size_t at = 0;
  for (auto type : types) {
    if (at + slots_of(type) > slot_count) break;
    values.push_back(from_slots(slots + at, type));
    at += slots_of(type);
  }
  return values;
}

void values_to_slots(const interp::Values& values, const wabt::TypeVector& types, uint64_t* slots) {
  for (size_t i = 0; i < values.size() && i < types.size(); ++i) {
    to_slots(values[i], types[i], slots);
    slots += slots_of(types[i]);
  }
}

class ModuleImpl : public Module {
 public:
  ModuleImpl(wabt::Features features, interp::ModuleDesc desc) : features_(features), desc_(std::move(desc)) {
    for (const auto& import : desc_.imports) {
      Import info{import.type.module, import.type.name, false, {}};
      if (const auto* type = wabt::dyn_cast<interp::FuncType>(import.type.type.get())) {
        info.is_function = true;
        info.type = convert(*type);
      }
      imports_.push_back(std::move(info));
    }
    for (const auto& exported : desc_.exports) {
      Export info{exported.type.name, ExportKind::Other, {}};
      if (const auto* type = wabt::dyn_cast<interp::FuncType>(exported.type.type.get())) {
        info.kind = ExportKind::Function;
        info.type = convert(*type);
      } else if (exported.type.type->kind == interp::ExternKind::Memory) {
        info.kind = ExportKind::Memory;
      }
      exports_.push_back(std::move(info));
    }
  }
  const std::vector<Import>& imports() const override { return imports_; }
  const std::vector<Export>& exports() const override { return exports_; }
  const wabt::Features& features() const { return features_; }
  const interp::ModuleDesc& desc() const { return desc_; }

 private:
  wabt::Features features_;
  interp::ModuleDesc desc_;
  std::vector<Import> imports_;
  std::vector<Export> exports_;
};

class InstanceImpl : public Instance {
 public:
  explicit InstanceImpl(const wabt::Features& features)
      : store_(features), thread_(std::make_unique<interp::Thread>(store_)) {}

  bool link(const ModuleImpl& loaded, std::vector<HostFunction> host_functions, std::string* trap_message) {
    interp::ModuleDesc desc = loaded.desc();
    if (!desc.starts.empty()) start_function_ = desc.starts.front().func_index;
    desc.starts.clear();
    module_ = interp::Module::New(store_, desc);
    interp::RefVec imports;
    size_t next = 0;
    for (const auto& import : module_->import_types()) {
      const auto* type = wabt::dyn_cast<interp::FuncType>(import.type.get());
      if (type == nullptr || next >= host_functions.size()) {
        *trap_message = "unsupported import " + import.module + "." + import.name;
        return false;
      }
      interp::FuncType func_type = *type;
      host_functions_.push_back(interp::HostFunc::New(store_, func_type,
                                                      [func_type, callback = std::move(host_functions[next++])](
                                                          interp::Thread& thread, const interp::Values& params,
                                                          interp::Values& results, interp::Trap::Ptr* out_trap) {
                                                        std::vector<uint64_t> args(slots_of(func_type.params) + 1);
                                                        std::vector<uint64_t> outs(slots_of(func_type.results) + 1);
                                                        values_to_slots(params, func_type.params, args.data());
                                                        std::string message;
                                                        if (!callback(args.data(), outs.data(), &message)) {
                                                          *out_trap = interp::Trap::New(thread.store(), message);
                                                          return wabt::Result::Error;
                                                        }
                                                        results = values_from_slots(outs.data(), outs.size(),
                                                                                    func_type.results);
                                                        return wabt::Result::Ok;
                                                      }));
      imports.push_back(host_functions_.back().ref());
    }
    interp::Trap::Ptr trap;
    // WABT runs the start function inside Instantiate, before the caller holds the instance;
    // a host function it calls (memory growth, console log) would find no instance. So the
    // module is instantiated without its start, which run_start() calls afterwards.
    instance_ = interp::Instance::Instantiate(store_, module_.ref(), imports, &trap);
    if (!instance_) {
      *trap_message = trap ? trap->message() : "instantiation failed";
      return false;
    }
    if (!instance_->memories().empty()) memory_ = store_.UnsafeGet<interp::Memory>(instance_->memories()[0]);
    const auto& exports = module_->export_types();
    for (size_t i = 0; i < exports.size(); ++i) {
      if (const auto* type = wabt::dyn_cast<interp::FuncType>(exports[i].type.get())) {
        functions_.emplace(exports[i].name,
                           std::make_pair(store_.UnsafeGet<interp::Func>(instance_->exports()[i]), *type));
      }
    }
    return true;
  }

  bool run_start(std::string* trap_message) override {
    if (!start_function_) return true;
    if (*start_function_ >= instance_->funcs().size()) {
      *trap_message = "start function index out of range";
      return false;
    }
    auto func = store_.UnsafeGet<interp::Func>(instance_->funcs()[*start_function_]);
    std::vector<uint64_t> results;
    return invoke(func, func->type(), {}, &results, trap_message);
  }

  bool call(const std::string& export_name, const std::vector<uint64_t>& args, std::vector<uint64_t>* results,
            std::string* trap_message) override {
    auto found = functions_.find(export_name);
    if (found == functions_.end()) {
      *trap_message = "no exported function " + export_name;
      return false;
    }
    const auto& [func, type] = found->second;
    return invoke(func, type, args, results, trap_message);
  }

  bool has_memory() const override { return bool(memory_); }
  uint8_t* memory_data() override { return memory_ ? memory_->UnsafeData() : nullptr; }
  uint64_t memory_size() const override { return memory_ ? memory_->ByteSize() : 0; }
  uint64_t memory_pages() const override { return memory_ ? memory_->PageSize() : 0; }
  bool memory_grow(uint64_t delta) override { return memory_ && wabt::Succeeded(memory_->Grow(delta)); }

 private:
  bool invoke(const interp::Func::Ptr& func, const interp::FuncType& type, const std::vector<uint64_t>& args,
              std::vector<uint64_t>* results, std::string* trap_message) {
    interp::Values params = values_from_slots(args.data(), args.size(), type.params);
    // Sized up front: a host function re-exported by the module fills results in place (a
    // defined function's call resizes them itself).
    interp::Values outs(type.results.size());
    interp::Trap::Ptr trap;
    // One thread per instance: Func::Call(Store&) would allocate fresh stacks every call. A
    // trap leaves the thread's frames behind, so a trapped thread is replaced.
    // A set trap counts even when Call succeeds: WABT 1.0.32's Thread::DoCall (the
    // call_indirect path) reports call-stack exhaustion through out_trap but returns Ok, and
    // the guest then runs on as if the call had returned (spectest-interp also checks the
    // pointer; tests/spec/ and the differential test cover it).
    const bool failed = wabt::Failed(func->Call(*thread_, params, outs, &trap));
    if (failed || trap) {
      *trap_message = trap ? trap->message() : "call failed";
      thread_ = std::make_unique<interp::Thread>(store_);
      return false;
    }
    results->assign(slots_of(type.results), 0);
    values_to_slots(outs, type.results, results->data());
    return true;
  }

  interp::Store store_;
  std::unique_ptr<interp::Thread> thread_;
  interp::Module::Ptr module_;
  interp::Instance::Ptr instance_;
  interp::Memory::Ptr memory_;
  std::vector<interp::HostFunc::Ptr> host_functions_;
  std::map<std::string, std::pair<interp::Func::Ptr, interp::FuncType>> functions_;
  std::optional<wabt::Index> start_function_;
};

}  // namespace

uint64_t worst_case_stack_bytes(uint64_t locals) {
  return uint64_t{interp::Thread::Options::kDefaultCallStackSize} * (locals + 1) * sizeof(interp::Value);
}

std::shared_ptr<Module> Module::load(const uint8_t* data, size_t size, const std::string& filename,
                                     const wabt::Features& features, std::string* error) {
  interp::ModuleDesc desc;
  wabt::Errors errors;
  wabt::ReadBinaryOptions options(features, nullptr, false, /*stop_on_first_error=*/true, false);
  if (wabt::Failed(interp::ReadBinaryInterp(filename, data, size, options, &errors, &desc))) {
    *error = errors.empty() ? "the interpreter cannot load the module" : errors.front().message;
    return nullptr;
  }
  return std::make_shared<ModuleImpl>(features, std::move(desc));
}

std::unique_ptr<Instance> Instance::instantiate(const Module& module, std::vector<HostFunction> host_functions,
                                                std::string* trap_message) {
  const auto& loaded = static_cast<const ModuleImpl&>(module);
  auto instance = std::make_unique<InstanceImpl>(loaded.features());
  if (!instance->link(loaded, std::move(host_functions), trap_message)) return nullptr;
  return instance;
}

}  // namespace wascc::interp_core
