/* Actor-to-actor callee (call alias wascc/examples/ponger, no capabilities): Ping answers
 * "pong: " followed by the payload. */
#include "wascc_actor.h"

static int ping(wapc_bytes payload) {
  static const char prefix[] = "pong: ";
  uint32_t length = sizeof prefix - 1 + payload.len;
  uint8_t* answer = (uint8_t*)wapc_alloc(length);
  wapc_memcpy(answer, (const uint8_t*)prefix, sizeof prefix - 1);
  wapc_memcpy(answer + sizeof prefix - 1, payload.data, payload.len);
  wapc_respond(answer, length);
  return 1;
}

static const wapc_operation operations[] = {{"Ping", ping}};
WAPC_GUEST(operations)
