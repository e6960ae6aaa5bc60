/* A test actor (claims: wascc:http_server) for the runner's recovery tests: GET /trap traps;
 * any other request answers "alive N", N counting requests since the instance was created (so
 * a re-created instance starts again at 1). */
#include "wascc_actor.h"

static uint32_t served;

static int handle_request(wapc_bytes payload) {
  wascc_http_request request;
  if (!wascc_decode_http_request(payload, &request)) return wapc_fail("not a Request");
  if (wascc_bytes_equal(request.path, "/trap")) __builtin_trap();
  ++served;
  uint8_t* text = (uint8_t*)wapc_alloc(16);
  const char* prefix = "alive ";
  uint32_t length = 0;
  while (prefix[length] != '\0') text[length] = (uint8_t)prefix[length], ++length;
  char digits[10];
  int count = 0;
  uint32_t rest = served;
  do {
    digits[count++] = (char)('0' + rest % 10);
    rest /= 10;
  } while (rest != 0);
  while (count > 0) text[length++] = (uint8_t)digits[--count];
  return wascc_http_respond(200, "OK", "text/plain", text, length);
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}};
WAPC_GUEST(operations)
