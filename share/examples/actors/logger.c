/* Logger actor (claims: wascc:http_server, wascc:logging): logs each request's method and path
 * through wascc:logging at info level (and at warn level for a DELETE), then answers 200. */
#include "wascc_actor.h"

static int handle_request(wapc_bytes payload) {
  wascc_http_request request;
  if (!wascc_decode_http_request(payload, &request)) return wapc_fail("HandleRequest: the payload is not a Request");
  uint32_t length = request.method.len + 1 + request.path.len;
  uint8_t* line = (uint8_t*)wapc_alloc(length);
  wapc_memcpy(line, request.method.data, request.method.len);
  line[request.method.len] = ' ';
  wapc_memcpy(line + request.method.len + 1, request.path.data, request.path.len);
  uint32_t level = wascc_bytes_equal(request.method, "DELETE") ? WASCC_LOG_WARN : WASCC_LOG_INFO;
  if (!wascc_write_log(level, line, length)) return 0;
  static const char body[] = "logged\n";
  return wascc_http_respond(200, "OK", "text/plain", (const uint8_t*)body, sizeof body - 1);
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}};
WAPC_GUEST(operations)
