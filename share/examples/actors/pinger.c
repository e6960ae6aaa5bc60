/* Actor-to-actor caller (claims: wascc:http_server): each HTTP request's body goes to the actor
 * whose claims register the call alias "wascc/examples/ponger" (operation Ping), and its answer
 * comes back as the HTTP response. Calling by alias needs no caps entry (wasmCloud 0.17's
 * rule); calling by the callee's public key needs that key in the caller's caps (waSCC's). */
#include "wascc_actor.h"

static int handle_request(wapc_bytes payload) {
  wascc_http_request request;
  if (!wascc_decode_http_request(payload, &request)) return wapc_fail("HandleRequest: the payload is not a Request");
  wapc_bytes answer;
  if (!wascc_call("wascc/examples/ponger", "Ping", request.body, &answer)) return 0;
  return wascc_http_respond(200, "OK", "text/plain", answer.data, answer.len);
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}};
WAPC_GUEST(operations)
