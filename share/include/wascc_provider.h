/* wascc_provider.h: the C ABI of wascc's native capability provider plugins (version 1).
 *
 * A plugin is a shared library exporting one function, wascc_provider_describe(), which
 * returns a static wascc_provider table. wascc loads it with dlopen from
 * `--provider PATH.so[@BINDING]` or a manifest's `capabilities: [{path: PATH.so}]`, refuses a
 * table whose abi_version it does not speak, and creates one instance per (capability,
 * binding). This is NOT waSCC's Rust plugin ABI (a boxed Rust trait object), which no other
 * host can load.
 *
 * Calls into a plugin can come from several threads (one per calling actor); an instance
 * guards its own state. Buffers handed across are malloc'd by the side that fills them and
 * free()d by the side that receives them. A plugin runs in the host's process: its crash is
 * the host's crash (use a process provider, `--provider 'exec:CMD'`, to isolate one). */
#ifndef WASCC_PROVIDER_H
#define WASCC_PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASCC_PROVIDER_ABI_VERSION 1u

typedef struct {
  uint8_t* data; /* malloc'd by the filler, free()d by the receiver; may be NULL when len is 0 */
  size_t len;
} wascc_buffer;

typedef struct {
  const char* key;
  const char* value;
} wascc_config_entry;

/* What the host offers an instance: invoking actors (e.g. to deliver inbound events) and
 * logging. `context` is passed back unchanged. */
typedef struct {
  uint32_t abi_version;
  void* context;
  /* Invokes `operation` of a bound actor. Returns 1 with *reply the actor's reply, or 0 with
   * *reply the error text (not NUL-terminated). The caller free()s reply->data. */
  int (*dispatch)(void* context, const char* actor, const char* operation, const uint8_t* payload, size_t payload_len,
                  wascc_buffer* reply);
  void (*log)(void* context, const char* line);
} wascc_host;

typedef struct {
  uint32_t abi_version;      /* WASCC_PROVIDER_ABI_VERSION */
  const char* capability_id; /* e.g. "examples:clock"; actors need it in their signed claims */
  const char* name;
  const char* version;
  /* A new instance; `host` stays valid until destroy. NULL refuses (the host reports it). */
  void* (*create)(const wascc_host* host);
  /* Binds an actor with the binding's values (and the host's __wascc_* keys). Returns 1, or 0
   * with *error the reason (malloc'd text). */
  int (*bind_actor)(void* self, const char* actor, const wascc_config_entry* values, size_t count, wascc_buffer* error);
  void (*remove_actor)(void* self, const char* actor);
  /* One call from a bound actor. Returns 1 with *reply the answer, or 0 with *reply the error
   * text the actor reads as its host error. */
  int (*handle_call)(void* self, const char* actor, const char* operation, const uint8_t* payload, size_t payload_len,
                     wascc_buffer* reply);
  /* Stops the instance's threads and frees it; no call comes after. */
  void (*destroy)(void* self);
} wascc_provider;

/* The symbol every plugin exports. */
const wascc_provider* wascc_provider_describe(void);

#ifdef __cplusplus
}
#endif

#endif /* WASCC_PROVIDER_H */
