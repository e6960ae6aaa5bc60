/* Key-value counter actor (claims: wascc:http_server, wascc:keyvalue), as waSCC's kvcounter
 * example: each request adds 1 to the key named by its path ('/' becomes ':') and answers
 * {"counter": N}. In memory by default; Redis when bound with URL=redis://... */
#include "wascc_actor.h"

static int handle_request(wapc_bytes payload) {
  wascc_http_request request;
  if (!wascc_decode_http_request(payload, &request)) return wapc_fail("HandleRequest: the payload is not a Request");
  uint8_t* key = (uint8_t*)wapc_alloc(request.path.len + 1);
  for (uint32_t i = 0; i < request.path.len; ++i) key[i] = request.path.data[i] == '/' ? ':' : request.path.data[i];
  int64_t total = 0;
  if (!wascc_keyvalue_add(key, request.path.len, 1, &total)) return 0;
  char digits[24];
  int count = 0;
  uint64_t rest = total < 0 ? (uint64_t)(-total) : (uint64_t)total;
  do {
    digits[count++] = (char)('0' + rest % 10);
    rest /= 10;
  } while (rest != 0);
  uint8_t* body = (uint8_t*)wapc_alloc(40);
  uint32_t length = 0;
  const char* prefix = "{\"counter\":";
  for (uint32_t i = 0; prefix[i] != '\0'; ++i) body[length++] = (uint8_t)prefix[i];
  if (total < 0) body[length++] = '-';
  while (count > 0) body[length++] = (uint8_t)digits[--count];
  body[length++] = '}';
  return wascc_http_respond(200, "OK", "application/json", body, length);
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}};
WAPC_GUEST(operations)
