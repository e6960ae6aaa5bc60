/* The project's own implementation of WABT 1.0.32's wasm-rt.h API, for modules translated to
 * C by WABT's C writer and loaded as shared objects. Debian's wasm-rt-impl is not fit for a
 * host (see the pitfalls note, item 8): its trap state is process-global and its SIGSEGV
 * handler swallows crashes in host code. Here:
 *  - trap targets, the exception slot and the "in guest / in host" flags are thread-local;
 *  - a memory is an 8 GiB PROT_NONE reservation (4 GiB of index space plus 4 GiB of offset)
 *    so generated code needs no bounds checks; a fault is a guest trap only when a guest is
 *    running on this thread (not a host import it called) and the address lies in a
 *    registered reservation (out of bounds) or next to the stack pointer (stack exhausted);
 *    any other fault goes to the previous handler or the default action;
 *  - traps longjmp only over generated C code: host imports trap from a C shim after the C++
 *    host code has returned (aot_shim.cpp).
 * The executables export these symbols (-Wl,--dynamic-list) for the shared objects. */
#define _GNU_SOURCE
#include <wasm-rt.h>

#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "aot_runtime.h"

#define WASCC_PAGE_SIZE 65536u
#define WASCC_RESERVATION ((uint64_t)8 << 30)
#define WASCC_MAX_MEMORIES 4096
#define WASCC_ALT_STACK_SIZE (64 * 1024)
#define WASCC_STACK_FAULT_WINDOW (256 * 1024)
/* Host imports run C++ code on the guest's stack: they need this much left. */
#define WASCC_HOST_STACK_HEADROOM (512 * 1024)

static _Thread_local jmp_buf* g_trap_target;
static _Thread_local WASM_RT_UNWIND_TARGET* g_unwind_target;
static _Thread_local wasm_rt_trap_t g_last_trap;
static _Thread_local int g_in_guest;
static _Thread_local int g_in_host;
static _Thread_local int g_alt_stack_ready;
static _Thread_local uintptr_t g_stack_floor; /* lowest address host imports may reach down to */
static _Thread_local uint32_t g_exception_tag, g_exception_size;
static _Thread_local uint8_t g_exception[256];

/* Reservations, readable from the signal handler without locks. */
static _Atomic(uintptr_t) g_reservations[WASCC_MAX_MEMORIES];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction g_previous_segv, g_previous_bus;
static int g_initialized;

/* Function types, process-wide so that call_indirect type checks agree across modules. */
typedef struct {
  uint32_t params, results;
  wasm_rt_type_t types[];
} func_type;
static func_type** g_func_types;
static uint32_t g_func_type_count;

static int in_reservation(uintptr_t address) {
  for (int i = 0; i < WASCC_MAX_MEMORIES; ++i) {
    uintptr_t base = atomic_load_explicit(&g_reservations[i], memory_order_acquire);
    if (base != 0 && address >= base && address < base + WASCC_RESERVATION) return 1;
  }
  return 0;
}

static uintptr_t stack_pointer(void* context) {
  ucontext_t* uc = (ucontext_t*)context;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.sp;
#else
  (void)uc;
  return 0;
#endif
}

static void on_fault(int signal_number, siginfo_t* info, void* context) {
  if (g_in_guest > 0 && !g_in_host && g_trap_target != NULL) {
    uintptr_t address = (uintptr_t)info->si_addr;
    uintptr_t sp = stack_pointer(context);
    if (in_reservation(address)) {
      g_last_trap = WASM_RT_TRAP_OOB;
      siglongjmp(*g_trap_target, 1);
    }
    if (sp != 0 && address + WASCC_STACK_FAULT_WINDOW > sp && address < sp + WASCC_STACK_FAULT_WINDOW) {
      g_last_trap = WASM_RT_TRAP_EXHAUSTION;
      siglongjmp(*g_trap_target, 1);
    }
  }
  /* Not a guest fault: hand it to whoever had it before, or crash as the kernel would. */
  struct sigaction* previous = signal_number == SIGSEGV ? &g_previous_segv : &g_previous_bus;
  if ((previous->sa_flags & SA_SIGINFO) && previous->sa_sigaction != NULL) {
    previous->sa_sigaction(signal_number, info, context);
    return;
  }
  if (previous->sa_handler != SIG_DFL && previous->sa_handler != SIG_IGN && previous->sa_handler != NULL) {
    previous->sa_handler(signal_number);
    return;
  }
  signal(signal_number, SIG_DFL); /* returning re-executes the fault, now fatal */
}

/* Installs the fault handler, or re-installs it when someone replaced it since (test
 * frameworks and embedders install their own and later restore what they saw first).
 * Called whenever an instance is created. */
void wasm_rt_init(void) {
  pthread_mutex_lock(&g_lock);
  struct sigaction current;
  sigaction(SIGSEGV, NULL, &current);
  if (!g_initialized || current.sa_sigaction != on_fault) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_fault;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, &g_previous_segv);
    sigaction(SIGBUS, &action, &g_previous_bus);
    g_initialized = 1;
  }
  pthread_mutex_unlock(&g_lock);
}

bool wasm_rt_is_initialized(void) { return g_initialized != 0; }

void wasm_rt_free(void) {}

/* A stack for the fault handler, so that it can run when the guest exhausted the thread's. */
static void ensure_alt_stack(void) {
  if (g_alt_stack_ready) return;
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
    void* low = NULL;
    size_t size = 0;
    if (pthread_attr_getstack(&attributes, &low, &size) == 0) {
      g_stack_floor = (uintptr_t)low + WASCC_HOST_STACK_HEADROOM;
    }
    pthread_attr_destroy(&attributes);
  }
  stack_t stack;
  stack.ss_sp = mmap(NULL, WASCC_ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (stack.ss_sp == MAP_FAILED) return;
  stack.ss_size = WASCC_ALT_STACK_SIZE;
  stack.ss_flags = 0;
  if (sigaltstack(&stack, NULL) == 0) g_alt_stack_ready = 1;
}

jmp_buf* wascc_rt_enter_guest(jmp_buf* target, wascc_rt_saved* saved) {
  ensure_alt_stack();
  saved->trap_target = g_trap_target;
  saved->unwind_target = g_unwind_target;
  saved->in_host = g_in_host;
  g_trap_target = target;
  g_unwind_target = target; /* an uncaught exception unwinds to the call too */
  g_in_host = 0;
  ++g_in_guest;
  g_last_trap = WASM_RT_TRAP_NONE;
  return target;
}

void wascc_rt_leave_guest(const wascc_rt_saved* saved) {
  --g_in_guest;
  g_trap_target = saved->trap_target;
  g_unwind_target = saved->unwind_target;
  g_in_host = saved->in_host;
}

int wascc_rt_enter_host(void) {
  /* A deep guest recursion must not overflow the stack inside host code, where a fault is
   * (rightly) not taken for a guest trap: trap here, in C, while there is room. */
  if ((uintptr_t)__builtin_frame_address(0) < g_stack_floor) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  int previous = g_in_host;
  g_in_host = 1;
  return previous;
}

void wascc_rt_leave_host(int previous) { g_in_host = previous; }

wasm_rt_trap_t wascc_rt_last_trap(void) { return g_last_trap; }

void wasm_rt_trap(wasm_rt_trap_t code) {
  g_last_trap = code;
  if (g_trap_target == NULL) abort(); /* generated code ran outside wascc_rt_enter_guest */
  siglongjmp(*g_trap_target, 1);
}

const char* wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch (trap) {
    case WASM_RT_TRAP_NONE: return "no trap";
    case WASM_RT_TRAP_OOB: return "out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "indirect call signature mismatch or null";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
#if !WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS
    case WASM_RT_TRAP_EXHAUSTION: return "call stack exhausted";
#endif
  }
  return "trap";
}

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  func_type* type = malloc(sizeof(func_type) + (params + results) * sizeof(wasm_rt_type_t));
  if (type == NULL) abort();
  type->params = params;
  type->results = results;
  va_list args;
  va_start(args, results);
  for (uint32_t i = 0; i < params + results; ++i) type->types[i] = (wasm_rt_type_t)va_arg(args, int);
  va_end(args);
  pthread_mutex_lock(&g_lock);
  for (uint32_t i = 0; i < g_func_type_count; ++i) {
    func_type* known = g_func_types[i];
    if (known->params == params && known->results == results &&
        memcmp(known->types, type->types, (params + results) * sizeof(wasm_rt_type_t)) == 0) {
      pthread_mutex_unlock(&g_lock);
      free(type);
      return i + 1;
    }
  }
  func_type** grown = realloc(g_func_types, (g_func_type_count + 1) * sizeof(func_type*));
  if (grown == NULL) abort();
  g_func_types = grown;
  g_func_types[g_func_type_count++] = type;
  uint32_t index = g_func_type_count;
  pthread_mutex_unlock(&g_lock);
  return index; /* 0 stays "no type", as funcref_null_value carries */
}

uint32_t wasm_rt_register_tag(uint32_t size) {
  static _Atomic uint32_t next_tag = 1;
  (void)size;
  return atomic_fetch_add(&next_tag, 1);
}

void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void* values) {
  if (size > sizeof g_exception) wasm_rt_trap(WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
  g_exception_tag = tag;
  g_exception_size = size;
  if (size) memcpy(g_exception, values, size);
}

void wasm_rt_throw(void) {
  if (g_unwind_target == g_trap_target) {
    g_last_trap = WASM_RT_TRAP_UNCAUGHT_EXCEPTION;
  }
  siglongjmp(*g_unwind_target, 1);
}

WASM_RT_UNWIND_TARGET* wasm_rt_get_unwind_target(void) { return g_unwind_target; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET* target) { g_unwind_target = target; }
uint32_t wasm_rt_exception_tag(void) { return g_exception_tag; }
uint32_t wasm_rt_exception_size(void) { return g_exception_size; }
void* wasm_rt_exception(void) { return g_exception; }

void wasm_rt_allocate_memory(wasm_rt_memory_t* memory, uint32_t initial_pages, uint32_t max_pages) {
  wasm_rt_init();
  void* base = mmap(NULL, WASCC_RESERVATION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED) wasm_rt_trap(WASM_RT_TRAP_OOB);
  uint64_t bytes = (uint64_t)initial_pages * WASCC_PAGE_SIZE;
  if (bytes && mprotect(base, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(base, WASCC_RESERVATION);
    wasm_rt_trap(WASM_RT_TRAP_OOB);
  }
  pthread_mutex_lock(&g_lock);
  int slot = -1;
  for (int i = 0; i < WASCC_MAX_MEMORIES && slot < 0; ++i) {
    if (atomic_load(&g_reservations[i]) == 0) slot = i;
  }
  if (slot >= 0) atomic_store_explicit(&g_reservations[slot], (uintptr_t)base, memory_order_release);
  pthread_mutex_unlock(&g_lock);
  if (slot < 0) {
    munmap(base, WASCC_RESERVATION);
    wasm_rt_trap(WASM_RT_TRAP_OOB);
  }
  memory->data = base;
  memory->pages = initial_pages;
  memory->max_pages = max_pages;
  memory->size = (uint32_t)bytes;
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t* memory, uint32_t delta) {
  uint32_t old_pages = memory->pages;
  uint64_t new_pages = (uint64_t)old_pages + delta;
  if (new_pages > memory->max_pages || new_pages > 65536) return (uint32_t)-1;
  if (delta == 0) return old_pages;
  uint64_t old_bytes = (uint64_t)old_pages * WASCC_PAGE_SIZE;
  uint64_t new_bytes = new_pages * WASCC_PAGE_SIZE;
  if (mprotect(memory->data + old_bytes, new_bytes - old_bytes, PROT_READ | PROT_WRITE) != 0) return (uint32_t)-1;
  memory->pages = (uint32_t)new_pages;
  memory->size = (uint32_t)(new_bytes > UINT32_MAX ? UINT32_MAX : new_bytes);
  return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t* memory) {
  if (memory->data == NULL) return;
  pthread_mutex_lock(&g_lock);
  for (int i = 0; i < WASCC_MAX_MEMORIES; ++i) {
    if (atomic_load(&g_reservations[i]) == (uintptr_t)memory->data) atomic_store(&g_reservations[i], 0);
  }
  pthread_mutex_unlock(&g_lock);
  munmap(memory->data, WASCC_RESERVATION);
  memory->data = NULL;
}

#define DEFINE_TABLE(type, null_value)                                                                              \
  void wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t* table, uint32_t elements, uint32_t max_elements) { \
    table->size = elements;                                                                                         \
    table->max_size = max_elements;                                                                                 \
    table->data = calloc(elements ? elements : 1, sizeof(wasm_rt_##type##_t));                                      \
    if (table->data == NULL) abort();                                                                               \
  }                                                                                                                 \
  void wasm_rt_free_##type##_table(wasm_rt_##type##_table_t* table) {                                               \
    free(table->data);                                                                                              \
    table->data = NULL;                                                                                             \
  }                                                                                                                 \
  uint32_t wasm_rt_grow_##type##_table(wasm_rt_##type##_table_t* table, uint32_t delta, wasm_rt_##type##_t init) {  \
    uint32_t old_size = table->size;                                                                                \
    uint64_t new_size = (uint64_t)old_size + delta;                                                                 \
    if (new_size > table->max_size || new_size > (1u << 24)) return (uint32_t)-1;                                   \
    if (delta == 0) return old_size;                                                                                \
    wasm_rt_##type##_t* grown = realloc(table->data, new_size * sizeof(wasm_rt_##type##_t));                        \
    if (grown == NULL) return (uint32_t)-1;                                                                         \
    for (uint64_t i = old_size; i < new_size; ++i) grown[i] = init;                                                 \
    table->data = grown;                                                                                            \
    table->size = (uint32_t)new_size;                                                                               \
    return old_size;                                                                                                \
  }

DEFINE_TABLE(funcref, wasm_rt_funcref_null_value)
DEFINE_TABLE(externref, wasm_rt_externref_null_value)
