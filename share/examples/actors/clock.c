/* Uses the example plugin provider examples:clock (claims: wascc:http_server, examples:clock):
 * counts the Tick deliveries it gets and answers each HTTP request "now=<ms> ticks=<n>". */
#include "wascc_actor.h"

static uint32_t ticks;

static uint32_t append_number(uint8_t* out, uint32_t at, uint64_t value) {
  char digits[24];
  int count = 0;
  do {
    digits[count++] = (char)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) out[at++] = (uint8_t)digits[--count];
  return at;
}

static int tick(wapc_bytes payload) {
  (void)payload;
  ++ticks;
  wapc_respond(0, 0);
  return 1;
}

static int handle_request(wapc_bytes payload) {
  (void)payload;
  wapc_bytes now;
  wapc_bytes nothing = {0, 0};
  if (!wascc_call("examples:clock", "Now", nothing, &now)) return 0;
  uint8_t* text = (uint8_t*)wapc_alloc(now.len + 40);
  uint32_t length = 0;
  const char* parts[] = {"now=", " ticks="};
  for (uint32_t i = 0; parts[0][i]; ++i) text[length++] = (uint8_t)parts[0][i];
  wapc_memcpy(text + length, now.data, now.len);
  length += now.len;
  for (uint32_t i = 0; parts[1][i]; ++i) text[length++] = (uint8_t)parts[1][i];
  length = append_number(text, length, ticks);
  return wascc_http_respond(200, "OK", "text/plain", text, length);
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}, {"Tick", tick}};
WAPC_GUEST(operations)
