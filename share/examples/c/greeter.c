/* A waPC guest in C: echo, greet (asks the host for a name), shout, fail, log. */
#include "wapc_guest.h"

static int echo(wapc_bytes payload) {
  wapc_respond(payload.data, payload.len);
  return 1;
}

/* "Hello, <answer of example:host/name>!" */
static int greet(wapc_bytes payload) {
  wapc_bytes name;
  if (!wapc_host_call("default", "example:host", "name", payload, &name)) {
    uint8_t* message = (uint8_t*)wapc_alloc(name.len + 12);
    wapc_memcpy(message, (const uint8_t*)"Host error: ", 12);
    wapc_memcpy(message + 12, name.data, name.len);
    __guest_error(message, name.len + 12);
    return 0;
  }
  uint8_t* reply = (uint8_t*)wapc_alloc(name.len + 8);
  wapc_memcpy(reply, (const uint8_t*)"Hello, ", 7);
  wapc_memcpy(reply + 7, name.data, name.len);
  reply[7 + name.len] = '!';
  wapc_respond(reply, name.len + 8);
  return 1;
}

static int shout(wapc_bytes payload) {
  uint8_t* loud = (uint8_t*)wapc_alloc(payload.len);
  for (uint32_t i = 0; i < payload.len; ++i) {
    uint8_t c = payload.data[i];
    loud[i] = (c >= 'a' && c <= 'z') ? (uint8_t)(c - 32) : c;
  }
  wapc_respond(loud, payload.len);
  return 1;
}

static int fail(wapc_bytes payload) {
  (void)payload;
  return wapc_fail("failed on purpose");
}

static int log_it(wapc_bytes payload) {
  wapc_log("log from C");
  wapc_respond(payload.data, payload.len);
  return 1;
}

static const wapc_operation operations[] = {
    {"echo", echo}, {"greet", greet}, {"shout", shout}, {"fail", fail}, {"log", log_it},
};
WAPC_GUEST(operations)
