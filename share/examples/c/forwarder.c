/* A test actor: operation "call" with the payload "binding|namespace|operation|body" makes
 * that host call and answers with its reply (or fails with "Host error: <text>"). Lets tests
 * drive any routing path of an actor host. */
#include "wapc_guest.h"

static uint32_t next_field(wapc_bytes payload, uint32_t start, uint32_t* end) {
  uint32_t i = start;
  while (i < payload.len && payload.data[i] != '|') ++i;
  *end = i;
  return i < payload.len ? i + 1 : i;
}

static char* copy_text(const uint8_t* data, uint32_t length) {
  char* text = (char*)wapc_alloc(length + 1);
  wapc_memcpy((uint8_t*)text, data, length);
  text[length] = '\0';
  return text;
}

static int call(wapc_bytes payload) {
  uint32_t starts[4], ends[4], at = 0;
  for (int field = 0; field < 3; ++field) {
    starts[field] = at;
    at = next_field(payload, at, &ends[field]);
  }
  starts[3] = at;
  ends[3] = payload.len;
  wapc_bytes body = {payload.data + starts[3], ends[3] - starts[3]};
  wapc_bytes reply;
  int ok = wapc_host_call(copy_text(payload.data + starts[0], ends[0] - starts[0]),
                          copy_text(payload.data + starts[1], ends[1] - starts[1]),
                          copy_text(payload.data + starts[2], ends[2] - starts[2]), body, &reply);
  if (!ok) {
    uint8_t* message = (uint8_t*)wapc_alloc(reply.len + 12);
    wapc_memcpy(message, (const uint8_t*)"Host error: ", 12);
    wapc_memcpy(message + 12, reply.data, reply.len);
    __guest_error(message, reply.len + 12);
    return 0;
  }
  wapc_respond(reply.data, reply.len);
  return 1;
}

static int echo(wapc_bytes payload) {
  wapc_respond(payload.data, payload.len);
  return 1;
}

static const wapc_operation operations[] = {{"call", call}, {"echo", echo}};
WAPC_GUEST(operations)
