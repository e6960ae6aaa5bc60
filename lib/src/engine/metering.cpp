#include "wascc/engine/metering.h"

#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/binary-writer.h>
#include <wabt/cast.h>
#include <wabt/ir.h>
#include <wabt/stream.h>

#include <optional>

#include "wasm/wabt_bridge.h"
#include "wascc/wasm/wat.h"

namespace wascc::metering {
namespace {

using wabt::Expr;
using wabt::ExprList;
using wabt::ExprType;

void shift_function_var(wabt::Var& var, wabt::Index first_shifted, wabt::Index by) {
  if (var.is_index() && var.index() >= first_shifted) var.set_index(var.index() + by);
}

// Renumbers every function reference in an expression list (calls, return calls, ref.func),
// descending into blocks.
void shift_function_refs(ExprList& exprs, wabt::Index first_shifted, wabt::Index by) {
  for (Expr& expr : exprs) {
    switch (expr.type()) {
      case ExprType::Call: shift_function_var(wabt::cast<wabt::CallExpr>(&expr)->var, first_shifted, by); break;
      case ExprType::ReturnCall:
        shift_function_var(wabt::cast<wabt::ReturnCallExpr>(&expr)->var, first_shifted, by);
        break;
      case ExprType::RefFunc: shift_function_var(wabt::cast<wabt::RefFuncExpr>(&expr)->var, first_shifted, by); break;
      case ExprType::Block:
        shift_function_refs(wabt::cast<wabt::BlockExpr>(&expr)->block.exprs, first_shifted, by);
        break;
      case ExprType::Loop:
        shift_function_refs(wabt::cast<wabt::LoopExpr>(&expr)->block.exprs, first_shifted, by);
        break;
      case ExprType::If: {
        auto* if_expr = wabt::cast<wabt::IfExpr>(&expr);
        shift_function_refs(if_expr->true_.exprs, first_shifted, by);
        shift_function_refs(if_expr->false_, first_shifted, by);
        break;
      }
      case ExprType::Try: {
        auto* try_expr = wabt::cast<wabt::TryExpr>(&expr);
        shift_function_refs(try_expr->block.exprs, first_shifted, by);
        for (auto& handler : try_expr->catches) shift_function_refs(handler.exprs, first_shifted, by);
        break;
      }
      default: break;
    }
  }
}

// Instructions that run when control enters here, up to (not into) nested loops, which
// meter themselves.
int64_t static_cost(const ExprList& exprs) {
  int64_t cost = 0;
  for (const Expr& expr : exprs) {
    ++cost;
    switch (expr.type()) {
      case ExprType::Block: cost += static_cost(wabt::cast<wabt::BlockExpr>(&expr)->block.exprs); break;
      case ExprType::If: {
        const auto* if_expr = wabt::cast<wabt::IfExpr>(&expr);
        cost += std::max(static_cost(if_expr->true_.exprs), static_cost(if_expr->false_));
        break;
      }
      case ExprType::Try: cost += static_cost(wabt::cast<wabt::TryExpr>(&expr)->block.exprs); break;
      default: break;
    }
  }
  return cost;
}

struct Hooks {
  wabt::Index fuel_global;
  wabt::Index fuel_function;
  wabt::Index memory_grow_function;
};

// Fuel lives in a local of each function while it runs, so that generated code keeps it in
// a register: a load, subtract and store of the global at every loop header made a chain
// through memory that cost matrix multiply 3.7x native. The global holds it across calls:
// written before each call and when the function leaves, read back after each call.
struct FunctionScope {
  const Hooks& hooks;
  wabt::Func* func;
  wabt::Index fuel_local;
  std::optional<wabt::Index> size_local;
  wabt::Index size() {
    if (!size_local) {
      size_local = func->GetNumParamsAndLocals();
      func->local_types.AppendDecl(wabt::Type::I32, 1);
    }
    return *size_local;
  }
};

wabt::Var var(wabt::Index index) { return wabt::Var(index, wabt::Location()); }

// fuel -= cost; if (fuel < 0) fuel = wascc_limits.fuel(); with fuel the function's local,
// first read from the global at the function's entry.
ExprList fuel_check(const FunctionScope& scope, int64_t cost, bool at_entry) {
  ExprList check;
  if (at_entry) {
    check.push_back(std::make_unique<wabt::GlobalGetExpr>(var(scope.hooks.fuel_global)));
  } else {
    check.push_back(std::make_unique<wabt::LocalGetExpr>(var(scope.fuel_local)));
  }
  check.push_back(std::make_unique<wabt::ConstExpr>(wabt::Const::I64(static_cast<uint64_t>(cost))));
  check.push_back(std::make_unique<wabt::BinaryExpr>(wabt::Opcode::I64Sub));
  check.push_back(std::make_unique<wabt::LocalTeeExpr>(var(scope.fuel_local)));
  check.push_back(std::make_unique<wabt::ConstExpr>(wabt::Const::I64(0)));
  check.push_back(std::make_unique<wabt::CompareExpr>(wabt::Opcode::I64LtS));
  auto refuel = std::make_unique<wabt::IfExpr>();
  refuel->true_.exprs.push_back(std::make_unique<wabt::CallExpr>(var(scope.hooks.fuel_function)));
  refuel->true_.exprs.push_back(std::make_unique<wabt::LocalSetExpr>(var(scope.fuel_local)));
  check.push_back(std::move(refuel));
  return check;
}

ExprList fuel_to_global(const FunctionScope& scope) {
  ExprList out;
  out.push_back(std::make_unique<wabt::LocalGetExpr>(var(scope.fuel_local)));
  out.push_back(std::make_unique<wabt::GlobalSetExpr>(var(scope.hooks.fuel_global)));
  return out;
}

ExprList fuel_from_global(const FunctionScope& scope) {
  ExprList out;
  out.push_back(std::make_unique<wabt::GlobalGetExpr>(var(scope.hooks.fuel_global)));
  out.push_back(std::make_unique<wabt::LocalSetExpr>(var(scope.fuel_local)));
  return out;
}

// Bulk memory instructions (memory.fill, memory.copy, memory.init) cost by their size, not
// one unit: a loop of 256 MiB fills ran 20 s past a 500 ms deadline when each counted as one
// instruction. Their size operand is kept in an i32 local added on first use.
constexpr int64_t kBytesPerFuelUnit = 16;

// Before a bulk instruction (its size on top of the stack): fuel -= size / 16, then the usual
// refill check, so that the deadline is looked at before the copy starts.
ExprList bulk_charge(FunctionScope& scope) {
  ExprList charge;
  const wabt::Var size = var(scope.size());
  const wabt::Var fuel = var(scope.fuel_local);
  charge.push_back(std::make_unique<wabt::LocalTeeExpr>(size));
  charge.push_back(std::make_unique<wabt::LocalGetExpr>(fuel));
  charge.push_back(std::make_unique<wabt::LocalGetExpr>(size));
  charge.push_back(std::make_unique<wabt::ConvertExpr>(wabt::Opcode::I64ExtendI32U));
  charge.push_back(std::make_unique<wabt::ConstExpr>(wabt::Const::I64(kBytesPerFuelUnit)));
  charge.push_back(std::make_unique<wabt::BinaryExpr>(wabt::Opcode::I64DivU));
  charge.push_back(std::make_unique<wabt::BinaryExpr>(wabt::Opcode::I64Sub));
  charge.push_back(std::make_unique<wabt::LocalSetExpr>(fuel));
  ExprList check = fuel_check(scope, 0, false);
  charge.splice(charge.end(), check);
  return charge;
}

bool is_call(ExprType type) {
  return type == ExprType::Call || type == ExprType::CallIndirect || type == ExprType::CallRef ||
         type == ExprType::ReturnCall || type == ExprType::ReturnCallIndirect;
}

bool leaves_function(ExprType type) {
  return type == ExprType::Return || type == ExprType::ReturnCall || type == ExprType::ReturnCallIndirect;
}

void instrument_exprs(ExprList& exprs, FunctionScope& scope) {
  const Hooks& hooks = scope.hooks;
  for (auto it = exprs.begin(); it != exprs.end(); ++it) {
    if (is_call(it->type()) || it->type() == ExprType::Return) {
      // The callee (or the caller, on a return) reads the fuel from the global.
      ExprList before = fuel_to_global(scope);
      exprs.splice(it, before);
      if (!leaves_function(it->type())) {
        ExprList after = fuel_from_global(scope);
        exprs.splice(std::next(it), after);
        std::advance(it, 2);
      }
      continue;
    }
    switch (it->type()) {
      case ExprType::MemoryFill:
      case ExprType::MemoryCopy:
      case ExprType::MemoryInit: {
        ExprList charge = bulk_charge(scope);
        exprs.splice(it, charge);
        break;
      }
      case ExprType::Loop: {
        auto& body = wabt::cast<wabt::LoopExpr>(&*it)->block.exprs;
        instrument_exprs(body, scope);
        ExprList prelude = fuel_check(scope, static_cost(body) + 1, false);
        body.splice(body.begin(), prelude);
        break;
      }
      case ExprType::Block: instrument_exprs(wabt::cast<wabt::BlockExpr>(&*it)->block.exprs, scope); break;
      case ExprType::If: {
        auto* if_expr = wabt::cast<wabt::IfExpr>(&*it);
        instrument_exprs(if_expr->true_.exprs, scope);
        instrument_exprs(if_expr->false_, scope);
        break;
      }
      case ExprType::Try: {
        auto* try_expr = wabt::cast<wabt::TryExpr>(&*it);
        instrument_exprs(try_expr->block.exprs, scope);
        for (auto& handler : try_expr->catches) instrument_exprs(handler.exprs, scope);
        break;
      }
      case ExprType::MemoryGrow: {
        const auto& memory = wabt::cast<wabt::MemoryGrowExpr>(&*it)->memidx;
        if (memory.is_index() && memory.index() == 0) {
          it = exprs.erase(it);
          it = exprs.insert(it, std::make_unique<wabt::CallExpr>(var(hooks.memory_grow_function)));
        }
        break;
      }
      default: break;
    }
  }
}

wabt::Index add_function_type(wabt::Module& module, wabt::TypeVector params, wabt::TypeVector results) {
  auto field = std::make_unique<wabt::TypeModuleField>();
  auto type = std::make_unique<wabt::FuncType>();
  type->sig.param_types = std::move(params);
  type->sig.result_types = std::move(results);
  field->type = std::move(type);
  module.AppendField(std::move(field));
  return static_cast<wabt::Index>(module.types.size() - 1);
}

// Adds a function import right after the existing function imports.
void add_function_import(wabt::Module& module, std::string_view name, wabt::Index type_index) {
  auto import = std::make_unique<wabt::FuncImport>();
  import->module_name = std::string(kImportModule);
  import->field_name = std::string(name);
  import->func.decl.has_func_type = true;
  import->func.decl.type_var = wabt::Var(type_index, wabt::Location());
  const auto* type = wabt::cast<wabt::FuncType>(module.types[type_index]);
  import->func.decl.sig = type->sig;
  wabt::Func* func = &import->func;
  auto field = std::make_unique<wabt::ImportModuleField>(std::move(import));
  module.imports.push_back(field->import.get());
  module.funcs.insert(module.funcs.begin() + module.num_func_imports, func);
  ++module.num_func_imports;
  module.fields.push_back(std::move(field));
}

}  // namespace

Result<Bytes> instrument(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features) {
  if (auto valid = wat::validate_binary(wasm, filename, features); !valid) return valid.error();
  const wabt::Features wabt_features = wabt_bridge::to_wabt(features);
  wabt::Errors errors;
  wabt::Module module;
  wabt::ReadBinaryOptions read_options(wabt_features, nullptr, /*read_debug_names=*/false,
                                       /*stop_on_first_error=*/true,
                                       /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr(filename.c_str(), wasm.data(), wasm.size(), read_options, &errors, &module))) {
    return invalid_error(filename + ": error: cannot read the module for instrumentation");
  }

  const wabt::Index first_shifted = module.num_func_imports;
  constexpr wabt::Index kNewImports = 2;
  for (wabt::Func* func : module.funcs) shift_function_refs(func->exprs, first_shifted, kNewImports);
  for (wabt::Export* exported : module.exports) {
    if (exported->kind == wabt::ExternalKind::Func) shift_function_var(exported->var, first_shifted, kNewImports);
  }
  for (wabt::Var* start : module.starts) shift_function_var(*start, first_shifted, kNewImports);
  for (wabt::ElemSegment* segment : module.elem_segments) {
    for (auto& elem : segment->elem_exprs) shift_function_refs(elem, first_shifted, kNewImports);
  }
  for (wabt::Global* global : module.globals) shift_function_refs(global->init_expr, first_shifted, kNewImports);

  Hooks hooks{};
  hooks.fuel_function = module.num_func_imports;
  hooks.memory_grow_function = module.num_func_imports + 1;
  add_function_import(module, kFuelImport, add_function_type(module, {}, {wabt::Type::I64}));
  add_function_import(module, kMemoryGrowImport, add_function_type(module, {wabt::Type::I32}, {wabt::Type::I32}));

  auto global_field = std::make_unique<wabt::GlobalModuleField>();
  global_field->global.type = wabt::Type::I64;
  global_field->global.mutable_ = true;
  global_field->global.init_expr.push_back(std::make_unique<wabt::ConstExpr>(wabt::Const::I64(0)));
  module.AppendField(std::move(global_field));
  hooks.fuel_global = static_cast<wabt::Index>(module.globals.size() - 1);

  for (wabt::Index i = module.num_func_imports; i < module.funcs.size(); ++i) {
    wabt::Func* func = module.funcs[i];
    // Entering a function zeroes its locals: a function with 50,000 of them costs that much
    // before its first instruction, and a recursion of such calls must still meet its deadline.
    const auto locals = static_cast<int64_t>(func->local_types.size());
    const int64_t entry_cost = static_cost(func->exprs) + 1 + locals;
    FunctionScope scope{hooks, func, func->GetNumParamsAndLocals(), std::nullopt};
    func->local_types.AppendDecl(wabt::Type::I64, 1);
    instrument_exprs(func->exprs, scope);
    // The body in a block of the function's results: a branch to the function's own label
    // now lands at its end, where the fuel goes back to the global, as after falling through.
    auto body = std::make_unique<wabt::BlockExpr>();
    body->block.decl.sig.result_types = func->decl.sig.result_types;
    if (func->decl.sig.result_types.size() > 1) {
      body->block.decl.has_func_type = true;
      body->block.decl.type_var = var(add_function_type(module, {}, func->decl.sig.result_types));
    }
    body->block.exprs = std::move(func->exprs);
    func->exprs = fuel_check(scope, entry_cost, true);
    func->exprs.push_back(std::move(body));
    ExprList leave = fuel_to_global(scope);
    func->exprs.splice(func->exprs.end(), leave);
  }

  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(wabt_features, /*canonicalize_lebs=*/true,
                                         /*relocatable=*/false, /*write_debug_names=*/false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, &module, write_options))) {
    return invalid_error(filename + ": error: cannot write the instrumented module");
  }
  const auto& data = stream.output_buffer().data;
  return Bytes(data.begin(), data.end());
}

}  // namespace wascc::metering
