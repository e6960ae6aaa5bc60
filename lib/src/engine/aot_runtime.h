/* Private to lib/ and to the shims compiled into AOT artifacts: entering and leaving guest
 * and host code on the current thread (see aot_runtime.c). */
#ifndef WASCC_AOT_RUNTIME_H
#define WASCC_AOT_RUNTIME_H

#include <wasm-rt.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  jmp_buf* trap_target;
  WASM_RT_UNWIND_TARGET* unwind_target;
  int in_host;
} wascc_rt_saved;

/* Around every call into generated code; nests (a host import may run another guest). */
jmp_buf* wascc_rt_enter_guest(jmp_buf* target, wascc_rt_saved* saved);
void wascc_rt_leave_guest(const wascc_rt_saved* saved);
/* Around every host import: faults in host code are never taken for guest traps. */
int wascc_rt_enter_host(void);
void wascc_rt_leave_host(int previous);
wasm_rt_trap_t wascc_rt_last_trap(void);

#ifdef __cplusplus
}
#endif

#endif
