// Private to the AOT compiler: a rewrite of WABT 1.0.32's C output that lets gcc keep the
// linear memory's base in a register. The C writer passes the memory by pointer to every
// load and store (i32_load(&instance->w2c_memory, addr)), and each store is a memcpy that may
// alias anything, the memory's own `data` field included: so the base is read again after
// every store, inside every loop. The engine's memory is an 8 GiB reservation that never
// moves (aot_runtime.c grows it in place), so each function reads the base once, into a
// const local, and the loads and stores take it from there. Bounds stay with the guard pages.
#pragma once

#include <string>

namespace wascc::aot_c_rewrite {

struct Rewritten {
  std::string c;
  size_t accesses = 0;  // loads and stores that now use the function's base; 0: left as it was
};

// `module_c` unchanged (accesses = 0) when it is not the shape this rewrite knows: no memory,
// more than one memory, or the C writer's helper definitions not where WABT 1.0.32 puts them.
Rewritten hoist_memory_base(const std::string& module_c);

}  // namespace wascc::aot_c_rewrite
