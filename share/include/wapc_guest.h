/* wapc_guest.h: write waPC guests in C, with nothing but clang and wasm-ld.
 *
 *   clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -o guest.wasm guest.c
 *
 * A guest lists its operations and lets WAPC_GUEST define the __guest_call export:
 *
 *   #include "wapc_guest.h"
 *   static int echo(wapc_bytes payload) { wapc_respond(payload.data, payload.len); return 1; }
 *   static const wapc_operation operations[] = {{"echo", echo}};
 *   WAPC_GUEST(operations)
 *
 * A handler returns 1 after wapc_respond, or the result of wapc_fail("message") (0).
 * Memory comes from a bump allocator that is reset at the start of every call, so nothing
 * a handler allocates outlives its call; memory grows as needed.
 * This header is the project's own; it follows the waPC ABI (share/ and the README).
 */
#ifndef WAPC_GUEST_H
#define WAPC_GUEST_H

#include <stddef.h>
#include <stdint.h>

#define WAPC_IMPORT(name) __attribute__((import_module("wapc"), import_name(#name)))

WAPC_IMPORT(__guest_request) void __guest_request(uint8_t* operation, uint8_t* payload);
WAPC_IMPORT(__guest_response) void __guest_response(const uint8_t* data, uint32_t length);
WAPC_IMPORT(__guest_error) void __guest_error(const uint8_t* data, uint32_t length);
WAPC_IMPORT(__host_call)
uint32_t __host_call(const uint8_t* binding, uint32_t binding_length, const uint8_t* namespace_,
                     uint32_t namespace_length, const uint8_t* operation, uint32_t operation_length,
                     const uint8_t* payload, uint32_t payload_length);
WAPC_IMPORT(__host_response_len) uint32_t __host_response_len(void);
WAPC_IMPORT(__host_response) void __host_response(uint8_t* data);
WAPC_IMPORT(__host_error_len) uint32_t __host_error_len(void);
WAPC_IMPORT(__host_error) void __host_error(uint8_t* data);
WAPC_IMPORT(__console_log) void __console_log(const uint8_t* data, uint32_t length);

typedef struct {
  const uint8_t* data;
  uint32_t len;
} wapc_bytes;

typedef int (*wapc_handler)(wapc_bytes payload);

typedef struct {
  const char* name;
  wapc_handler handler;
} wapc_operation;

extern unsigned char __heap_base; /* provided by wasm-ld: the first byte after static data */
static uintptr_t wapc_heap_next;

static inline uint32_t wapc_strlen(const char* text) {
  uint32_t length = 0;
  while (text[length] != '\0') ++length;
  return length;
}

static inline void wapc_memcpy(uint8_t* to, const uint8_t* from, uint32_t length) {
  for (uint32_t i = 0; i < length; ++i) to[i] = from[i];
}

/* Bump allocation, 8-byte aligned; traps when memory cannot grow. */
static inline void* wapc_alloc(uint32_t size) {
  if (wapc_heap_next == 0) wapc_heap_next = (uintptr_t)&__heap_base;
  uintptr_t start = (wapc_heap_next + 7) & ~(uintptr_t)7;
  uintptr_t end = start + size;
  uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    uintptr_t pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
  }
  wapc_heap_next = end;
  return (void*)start;
}

static inline void wapc_respond(const uint8_t* data, uint32_t length) { __guest_response(data, length); }
static inline void wapc_respond_text(const char* text) { __guest_response((const uint8_t*)text, wapc_strlen(text)); }

/* Sets the call's error message; returns 0 so that handlers can `return wapc_fail("...")`. */
static inline int wapc_fail(const char* message) {
  __guest_error((const uint8_t*)message, wapc_strlen(message));
  return 0;
}

static inline void wapc_log(const char* text) { __console_log((const uint8_t*)text, wapc_strlen(text)); }

/* Calls the host. On success *reply is the host's answer and 1 is returned; on failure
 * *reply is the host's error text and 0 is returned. The reply lives until the call ends. */
static inline int wapc_host_call(const char* binding, const char* namespace_, const char* operation, wapc_bytes payload,
                                 wapc_bytes* reply) {
  uint32_t ok =
      __host_call((const uint8_t*)binding, wapc_strlen(binding), (const uint8_t*)namespace_, wapc_strlen(namespace_),
                  (const uint8_t*)operation, wapc_strlen(operation), payload.data, payload.len);
  uint32_t length = ok ? __host_response_len() : __host_error_len();
  uint8_t* data = (uint8_t*)wapc_alloc(length);
  if (ok) {
    __host_response(data);
  } else {
    __host_error(data);
  }
  reply->data = data;
  reply->len = length;
  return ok ? 1 : 0;
}

static inline int wapc_dispatch(const wapc_operation* operations, uint32_t count, uint32_t operation_length,
                                uint32_t payload_length) {
  wapc_heap_next = 0; /* a fresh heap for every call */
  uint8_t* operation = (uint8_t*)wapc_alloc(operation_length + 1);
  uint8_t* payload = (uint8_t*)wapc_alloc(payload_length);
  __guest_request(operation, payload);
  for (uint32_t i = 0; i < count; ++i) {
    const char* name = operations[i].name;
    uint32_t length = wapc_strlen(name);
    uint32_t same = length == operation_length;
    for (uint32_t k = 0; same && k < length; ++k) same = (uint8_t)name[k] == operation[k];
    if (same) {
      wapc_bytes request = {payload, payload_length};
      return operations[i].handler(request);
    }
  }
  /* The message the TinyGo and AssemblyScript SDKs use for an unknown operation. */
  const char prefix[] = "Could not find function \"";
  uint8_t* message = (uint8_t*)wapc_alloc(sizeof prefix + operation_length + 1);
  wapc_memcpy(message, (const uint8_t*)prefix, sizeof prefix - 1);
  wapc_memcpy(message + sizeof prefix - 1, operation, operation_length);
  message[sizeof prefix - 1 + operation_length] = '"';
  __guest_error(message, sizeof prefix + operation_length);
  return 0;
}

#define WAPC_GUEST(operations)                                                                                        \
  __attribute__((export_name("__guest_call"))) int __guest_call(uint32_t operation_length, uint32_t payload_length) { \
    return wapc_dispatch(operations, sizeof(operations) / sizeof((operations)[0]), operation_length, payload_length); \
  }

#endif /* WAPC_GUEST_H */
