/* Uses the example process provider examples:upper (claims: wascc:http_server, examples:upper):
 * each request's body comes back in upper case (Upper). The provider may also call Heard (when
 * the binding has a GREETING); the actor keeps what it heard and GET /heard answers it. */
#include "wascc_actor.h"

static uint8_t last_heard[256];
static uint32_t last_heard_length;

static int heard(wapc_bytes payload) {
  last_heard_length = payload.len < sizeof last_heard ? payload.len : sizeof last_heard;
  wapc_memcpy(last_heard, payload.data, last_heard_length);
  wapc_respond_text("noted");
  return 1;
}

static int handle_request(wapc_bytes payload) {
  wascc_http_request request;
  if (!wascc_decode_http_request(payload, &request)) return wapc_fail("HandleRequest: the payload is not a Request");
  if (wascc_bytes_equal(request.path, "/heard"))
    return wascc_http_respond(200, "OK", "text/plain", last_heard, last_heard_length);
  wapc_bytes answer;
  if (!wascc_call("examples:upper", "Upper", request.body, &answer)) return 0;
  return wascc_http_respond(200, "OK", "text/plain", answer.data, answer.len);
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}, {"Heard", heard}};
WAPC_GUEST(operations)
