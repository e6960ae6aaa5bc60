#include "aot_shim.h"

#include <cstdio>
#include <map>
#include <sstream>

#include "wascc/base/encoding.h"
#include <vector>

namespace wascc::aot_shim {
namespace {

struct Declaration {
  std::string return_type;  // "void", "u32", "u64", "f32", "f64", "wasm_rt_memory_t*"
  std::string name;
  std::vector<std::string> params;  // after the instance/env pointer
  std::string first_param;          // the instance or import-module struct pointer type
};

// "u32 Z_guestZ___guest_call(Z_guest_instance_t*, u32, u32);"
std::optional<Declaration> parse_declaration(const std::string& line) {
  size_t open = line.find('(');
  size_t close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return std::nullopt;
  std::string head = line.substr(0, open);
  size_t space = head.rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  Declaration declaration;
  declaration.return_type = head.substr(0, space);
  declaration.name = head.substr(space + 1);
  std::stringstream params(line.substr(open + 1, close - open - 1));
  std::string param;
  bool first = true;
  while (std::getline(params, param, ',')) {
    while (!param.empty() && param.front() == ' ') param.erase(param.begin());
    if (first) {
      declaration.first_param = param.substr(0, param.find('*') + 1);
      first = false;
    } else {
      declaration.params.push_back(param);
    }
  }
  return declaration;
}

// "struct wasm_multi_id" -> the wasm2c letters of its fields: i (i32), j (i64), f, d.
std::string multi_letters(const std::string& type) {
  const std::string prefix = "struct wasm_multi_";
  return type.rfind(prefix, 0) == 0 ? type.substr(prefix.size()) : "";
}

char type_letter(const std::string& type) {
  if (type == "u32") return 'i';
  if (type == "u64") return 'I';
  if (type == "f32") return 'f';
  if (type == "f64") return 'F';
  return '?';
}

// Names travel hex-encoded in wascc_aot_describe: they may hold quotes, tabs, newlines, any
// UTF-8 (the spec suite's names.wast has all of them).
std::string hex(const std::string& text) { return encoding::hex_upper(as_bytes(text)); }

std::string to_bits(const std::string& type, const std::string& value) {
  if (type == "f32") return "wascc_f32_bits(" + value + ")";
  if (type == "f64") return "wascc_f64_bits(" + value + ")";
  return "(uint64_t)" + value;
}

std::string from_bits(const std::string& type, const std::string& bits) {
  if (type == "f32") return "wascc_bits_f32(" + bits + ")";
  if (type == "f64") return "wascc_bits_f64(" + bits + ")";
  return "(" + type + ")" + bits;
}

// What the C writer's header says of the module: its imports and exports in order, paired
// with the names the module gave them, its instantiate function and its memory 0.
struct HeaderFacts {
  std::vector<std::pair<std::vector<std::string>, Declaration>> imports;  // {module, name}, decl
  std::vector<std::pair<std::string, Declaration>> exports;
  Declaration instantiate;
  std::string memory0_field;  // the instance's first defined memory (memory 0)
};

Result<HeaderFacts> read_header(const std::string& header, const std::string& prefix, const ModuleNames& module_names) {
  HeaderFacts facts;
  std::optional<Declaration> instantiate;
  bool in_instance_struct = false;
  enum class Expecting { Nothing, Import, Export } expecting = Expecting::Nothing;
  std::stringstream lines(header);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("typedef struct Z_" + prefix + "_instance_t {", 0) == 0) in_instance_struct = true;
    if (in_instance_struct && line.rfind("}", 0) == 0) in_instance_struct = false;
    // "  wasm_rt_memory_t w2c_memory;" (an imported memory would be a pointer: refused earlier)
    if (in_instance_struct && line.rfind("  wasm_rt_memory_t w2c_", 0) == 0 && facts.memory0_field.empty()) {
      facts.memory0_field = line.substr(19, line.find(';') - 19);
    }
    if (line.rfind("/* import: ", 0) == 0) {
      expecting = Expecting::Import;
      continue;
    }
    if (line.rfind("/* export: ", 0) == 0) {
      expecting = Expecting::Export;
      continue;
    }
    // The declaration is the first line after the comment (which may span lines) that reads
    // "type name(params);".
    const bool declaration_line = line.size() > 2 && line.compare(line.size() - 2, 2, ");") == 0 &&
                                  line.find('(') != std::string::npos && line.rfind("/*", 0) != 0;
    if (expecting != Expecting::Nothing && declaration_line) {
      auto declaration = parse_declaration(line);
      if (!declaration) return invalid_error("cannot read the generated header near: " + line);
      if (expecting == Expecting::Import) {
        if (facts.imports.size() >= module_names.imports.size())
          return invalid_error("more imports in the header than in the module");
        const auto& [module, name] = module_names.imports[facts.imports.size()];
        facts.imports.push_back({{module, name}, *declaration});
      } else {
        if (facts.exports.size() >= module_names.exports.size())
          return invalid_error("more exports in the header than in the module");
        facts.exports.push_back({module_names.exports[facts.exports.size()], *declaration});
      }
      expecting = Expecting::Nothing;
      continue;
    }
    if (line.rfind("void Z_" + prefix + "_instantiate(", 0) == 0) instantiate = parse_declaration(line);
  }
  if (!instantiate) return invalid_error("the generated header declares no instantiate function");
  facts.instantiate = std::move(*instantiate);
  for (const auto& [names, declaration] : facts.imports) {
    if (names.size() != 2) return invalid_error("unexpected import comment in the generated header");
  }
  return facts;
}

// The includes, the env every import struct carries, and the bit casts.
void write_preamble(std::ostream& c, const std::string& prefix) {
  c << "/* Generated by wascc: host bindings for module " << prefix << " (" << kAbiVersion << "). */\n"
    << "#include <pthread.h>\n#include <stdint.h>\n#include <stdlib.h>\n#include <string.h>\n"
    << "#include \"module.h\"\n#include \"aot_runtime.h\"\n\n"
    << "typedef int (*wascc_dispatch)(void*, uint32_t, const uint64_t*, uint64_t*);\n"
    << "struct wascc_env { void* host; wascc_dispatch dispatch; wasm_rt_memory_t* memory; };\n"
    << "static uint64_t wascc_f32_bits(f32 v) { uint32_t b; memcpy(&b, &v, 4); return b; }\n"
    << "static uint64_t wascc_f64_bits(f64 v) { uint64_t b; memcpy(&b, &v, 8); return b; }\n"
    << "static f32 wascc_bits_f32(uint64_t b) { uint32_t n = (uint32_t)b; f32 v; memcpy(&v, &n, 4); return v; }\n"
    << "static f64 wascc_bits_f64(uint64_t b) { f64 v; memcpy(&v, &b, 8); return v; }\n\n";
}

// One struct per import module, in the order instantiate takes them, and the module struct
// holding the instance and them. Answers the import structs' names.
std::vector<std::string> write_module_struct(std::ostream& c, const Declaration& instantiate,
                                             const std::string& instance_type) {
  std::vector<std::string> import_structs;
  for (const auto& param : instantiate.params) {
    std::string type = param.substr(0, param.find('*'));
    if (type.rfind("struct ", 0) == 0) type = type.substr(7);
    import_structs.push_back(type);
    // `self` first: wasm2c 1.0.32 hands an imported function called through a table the
    // address of the instance's pointer to this struct, and a direct call the pointer itself;
    // reading `m->self` yields the struct either way.
    c << "struct " << type << " { struct " << type << "* self; struct wascc_env env; };\n";
  }
  c << "\ntypedef struct {\n  " << instance_type << " instance;\n";
  for (size_t i = 0; i < import_structs.size(); ++i) c << "  struct " << import_structs[i] << " import" << i << ";\n";
  c << "} wascc_module;\n\n";
  return import_structs;
}

// Each import as a C function that hands its arguments to the host's dispatch by index.
void write_import_thunks(std::ostream& c, const HeaderFacts& facts) {
  for (size_t index = 0; index < facts.imports.size(); ++index) {
    const auto& [names, declaration] = facts.imports[index];
    const bool memory_grow = names[0] == "wascc_limits" && names[1] == "memory_grow";
    c << declaration.return_type << " " << declaration.name << "(" << declaration.first_param << " m";
    for (size_t i = 0; i < declaration.params.size(); ++i) c << ", " << declaration.params[i] << " a" << i;
    c << ") {\n  m = m->self;\n  uint64_t args[" << declaration.params.size() + 2 << "] = {";
    for (size_t i = 0; i < declaration.params.size(); ++i)
      c << to_bits(declaration.params[i], "a" + std::to_string(i)) << ", ";
    if (memory_grow) c << "m->env.memory ? m->env.memory->pages : 0, ";
    c << "0};\n  uint64_t results[2] = {0, 0};\n"
      << "  int previous = wascc_rt_enter_host();\n"
      << "  int ok = m->env.dispatch(m->env.host, " << index << "u, args, results);\n"
      << "  wascc_rt_leave_host(previous);\n"
      << "  if (!ok) wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);\n";
    if (memory_grow) {
      c << "  (void)results;\n  return m->env.memory ? wasm_rt_grow_memory(m->env.memory, a0) : (u32)-1;\n";
    } else if (declaration.return_type != "void") {
      c << "  return " << from_bits(declaration.return_type, "results[0]") << ";\n";
    }
    c << "}\n\n";
  }
}

// wascc_aot_new: allocates, wires the imports to the host, instantiates (the start function
// runs) under the trap handler.
void write_new(std::ostream& c, const std::string& prefix, size_t import_structs, const std::string& memory0_field) {
  c << "static pthread_once_t wascc_once = PTHREAD_ONCE_INIT;\n"
    << "static void wascc_init_module(void) { wasm_rt_init(); Z_" << prefix << "_init_module(); }\n\n"
    << "int wascc_aot_new(void* host, wascc_dispatch dispatch, void** out, uint32_t* trap) {\n"
    << "  wascc_module* m = calloc(1, sizeof(wascc_module));\n  if (!m) return 0;\n"
    << "  *out = m; /* before the start function runs: its host calls reach the memory through it */\n"
    << "  pthread_once(&wascc_once, wascc_init_module);\n  wasm_rt_init(); /* re-asserts the fault handler */\n";
  for (size_t i = 0; i < import_structs; ++i) {
    c << "  m->import" << i << ".self = &m->import" << i << ";\n";
    c << "  m->import" << i << ".env.host = host;\n  m->import" << i << ".env.dispatch = dispatch;\n";
    if (!memory0_field.empty()) c << "  m->import" << i << ".env.memory = &m->instance." << memory0_field << ";\n";
  }
  c << "  jmp_buf target;\n  wascc_rt_saved saved;\n  wascc_rt_enter_guest(&target, &saved);\n"
    << "  if (sigsetjmp(target, 0) != 0) {\n    wascc_rt_leave_guest(&saved);\n    *trap = wascc_rt_last_trap();\n"
    << "    /* A trapped start function leaves an instance whose segments are initialized; the\n"
    << "       host keeps it when the trap is WASI proc_exit(0), else frees it (wascc_aot_free). */\n"
    << "    return 0;\n  }\n"
    << "  Z_" << prefix << "_instantiate(&m->instance";
  for (size_t i = 0; i < import_structs; ++i) c << ", &m->import" << i;
  c << ");\n  wascc_rt_leave_guest(&saved);\n  return 1;\n}\n\n";
}

// The wasm2c letters of an export's results: one for a single result, one per field of a
// multi-value struct, none for void.
std::string result_letters(const Declaration& declaration) {
  const std::string multi = multi_letters(declaration.return_type);
  std::string letters;
  if (!multi.empty()) {
    for (char letter : multi) letters += letter == 'i' ? 'i' : letter == 'j' ? 'I' : letter == 'f' ? 'f' : 'F';
  } else if (declaration.return_type != "void") {
    letters = std::string(1, type_letter(declaration.return_type));
  }
  return letters;
}

// One case of wascc_aot_call's switch: the export called with its arguments from bits, its
// results stored as bits.
void write_call_case(std::ostream& c, const Declaration& declaration, uint32_t callable) {
  const std::string multi = multi_letters(declaration.return_type);
  c << "    case " << callable << "u: ";
  std::ostringstream call;
  call << declaration.name << "(&m->instance";
  for (size_t i = 0; i < declaration.params.size(); ++i) {
    call << ", " << from_bits(declaration.params[i], "args[" + std::to_string(i) + "]");
  }
  call << ")";
  if (declaration.return_type == "void") {
    c << call.str() << "; break;\n";
  } else if (!multi.empty()) {
    static const std::map<char, std::string> kFieldType = {{'i', "u32"}, {'j', "u64"}, {'f', "f32"}, {'d', "f64"}};
    c << "{\n      " << declaration.return_type << " r = " << call.str() << ";\n";
    for (size_t k = 0; k < multi.size(); ++k) {
      c << "      results[" << k
        << "] = " << to_bits(kFieldType.at(multi[k]), "r." + std::string(1, multi[k]) + std::to_string(k)) << ";\n";
    }
    c << "      break;\n    }\n";
  } else {
    c << "results[0] = " << to_bits(declaration.return_type, call.str()) << "; break;\n";
  }
}

// wascc_aot_call, a switch over the callable exports, and the text wascc_aot_describe answers
// (imports, memories, callable exports with their indexes).
std::string write_call(std::ostream& c, const HeaderFacts& facts, const std::string& instance_type) {
  // sigsetjmp(…, 0): saving the signal mask is a system call on every guest call, and nothing
  // changes it on the way to a trap (aot_runtime.c's fault handler is SA_NODEFER with an empty
  // mask, so the mask at the jump is the mask at the call).
  c << "int wascc_aot_call(void* module, uint32_t export_index, const uint64_t* args, uint64_t* results, uint32_t* "
       "trap) {\n"
    << "  wascc_module* m = (wascc_module*)module;\n  jmp_buf target;\n  wascc_rt_saved saved;\n"
    << "  wascc_rt_enter_guest(&target, &saved);\n"
    << "  if (sigsetjmp(target, 0) != 0) {\n    wascc_rt_leave_guest(&saved);\n    *trap = wascc_rt_last_trap();\n    "
       "return 0;\n  }\n"
    << "  switch (export_index) {\n";
  std::ostringstream describe;
  describe << kAbiVersion << "\\n";
  for (const auto& [names, declaration] : facts.imports) {
    describe << "import\\t" << hex(names[0]) << "\\t" << hex(names[1]) << "\\t";
    for (const auto& param : declaration.params) describe << type_letter(param);
    describe << "\\t" << (declaration.return_type == "void" ? "" : std::string(1, type_letter(declaration.return_type)))
             << "\\n";
  }
  uint32_t callable = 0;
  for (const auto& [name, declaration] : facts.exports) {
    if (declaration.return_type == "wasm_rt_memory_t*") {
      describe << "memory\\t" << hex(name) << "\\n";
      continue;
    }
    const std::string multi = multi_letters(declaration.return_type);
    bool simple = declaration.return_type == "void" || type_letter(declaration.return_type) != '?' || !multi.empty();
    for (const auto& param : declaration.params) simple = simple && type_letter(param) != '?';
    // Globals and tables are not callable; more than 16 results exceed the engine's buffer.
    if (!simple || multi.size() > 16 || declaration.first_param != instance_type + "*") continue;
    write_call_case(c, declaration, callable);
    describe << "export\\t" << hex(name) << "\\t";
    for (const auto& param : declaration.params) describe << type_letter(param);
    describe << "\\t" << result_letters(declaration) << "\\t" << callable << "\\n";
    ++callable;
  }
  c << "    default: break;\n  }\n  wascc_rt_leave_guest(&saved);\n  return 1;\n}\n\n";
  return describe.str();
}

}  // namespace

Result<std::string> generate(const std::string& header, const std::string& prefix, const ModuleNames& module_names) {
  auto facts = read_header(header, prefix, module_names);
  if (!facts) return facts.error();
  const std::string instance_type = "Z_" + prefix + "_instance_t";
  std::ostringstream c;
  write_preamble(c, prefix);
  const auto import_structs = write_module_struct(c, facts->instantiate, instance_type);
  write_import_thunks(c, *facts);
  write_new(c, prefix, import_structs.size(), facts->memory0_field);
  const std::string describe = write_call(c, *facts, instance_type);

  std::string memory_accessor;
  for (const auto& [name, declaration] : facts->exports) {
    if (declaration.return_type == "wasm_rt_memory_t*" && memory_accessor.empty()) memory_accessor = declaration.name;
  }
  c << "uint8_t* wascc_aot_memory(void* module, uint64_t* size) {\n";
  if (memory_accessor.empty()) {
    c << "  (void)module;\n  *size = 0;\n  return 0;\n";
  } else {
    c << "  wasm_rt_memory_t* memory = " << memory_accessor << "(&((wascc_module*)module)->instance);\n"
      << "  *size = memory->size;\n  return memory->data;\n";
  }
  c << "}\n\nvoid wascc_aot_free(void* module) {\n  wascc_module* m = (wascc_module*)module;\n"
    << "  Z_" << prefix << "_free(&m->instance);\n  free(m);\n}\n\n"
    << "const char* wascc_aot_describe(void) {\n  return \"" << describe << "\";\n}\n";
  return c.str();
}

}  // namespace wascc::aot_shim
