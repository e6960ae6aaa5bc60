// Private to the AOT compiler: a rewrite of WABT 1.0.32's C output that lets gcc keep the
// linear memory's base in a register. The C writer passes the memory by pointer to every
// load and store (i32_load(&instance->w2c_memory, addr)), and each store is a memcpy that may
// alias anything, the memory's own `data` field included: so the base is read again after
// every store, inside every loop. The engine's memory is an 8 GiB reservation that never
// moves (aot_runtime.c grows it in place), so each function reads the base once, into a
// const local, and the loads and stores take it from there. Bounds stay with the guard pages.
//
// And a split of that output into translation units that compile in parallel (one process
// per core): gcc's time grows with the file, and a 3.5 MB module took 7.6 s on one core.
#pragma once

#include <string>
#include <vector>

namespace wascc::aot_c_rewrite {

// `module_c` unchanged when it is not the shape this rewrite knows: no memory, more than one
// memory, or the C writer's helper definitions not where WABT 1.0.32 puts them.
std::string hoist_memory_base(std::string module_c);

// `module_c` as `parts` translation units: the first is the whole file without the function
// bodies the others hold (its data, tables, exports and instantiation stay there); each other
// is the shared head (types, helpers, every function's declaration) with its share of the
// bodies, balanced by size. Functions and the function-type table become hidden symbols of
// the one shared object. Empty (compile the file whole) when `parts` < 2 or the file is not
// the shape this split knows, e.g. when a body reads a data or element segment.
std::vector<std::string> split_functions(const std::string& module_c, size_t parts);

}  // namespace wascc::aot_c_rewrite
