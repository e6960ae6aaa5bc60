/* HTTP echo actor (claims: wascc:http_server): answers every request with a JSON description of
 * it, as waSCC's echo example did:
 *   {"method":"GET","path":"/hello","query_string":"a=1","body":"..."}
 * Run it: wascc run http_echo_s.wasm --bind 'wascc:http_server?PORT=8080' */
#include "wascc_actor.h"

typedef struct {
  uint8_t* data;
  uint32_t len;
} text_buffer;

static void append(text_buffer* out, const char* text) {
  for (uint32_t i = 0; text[i] != '\0'; ++i) out->data[out->len++] = (uint8_t)text[i];
}

/* A JSON string; bytes below 0x20, '"' and '\\' escaped (6 bytes at most per input byte). */
static void append_json_string(text_buffer* out, wapc_bytes value) {
  static const char hex[] = "0123456789abcdef";
  out->data[out->len++] = '"';
  for (uint32_t i = 0; i < value.len; ++i) {
    uint8_t c = value.data[i];
    if (c == '"' || c == '\\') {
      out->data[out->len++] = '\\';
      out->data[out->len++] = c;
    } else if (c < 0x20) {
      append(out, "\\u00");
      out->data[out->len++] = (uint8_t)hex[c >> 4];
      out->data[out->len++] = (uint8_t)hex[c & 15];
    } else {
      out->data[out->len++] = c;
    }
  }
  out->data[out->len++] = '"';
}

static int handle_request(wapc_bytes payload) {
  wascc_http_request request;
  if (!wascc_decode_http_request(payload, &request)) return wapc_fail("HandleRequest: the payload is not a Request");
  uint32_t room = 64 + 6 * (request.method.len + request.path.len + request.query_string.len + request.body.len);
  text_buffer json = {(uint8_t*)wapc_alloc(room), 0};
  append(&json, "{\"method\":");
  append_json_string(&json, request.method);
  append(&json, ",\"path\":");
  append_json_string(&json, request.path);
  append(&json, ",\"query_string\":");
  append_json_string(&json, request.query_string);
  append(&json, ",\"body\":");
  append_json_string(&json, request.body);
  append(&json, "}");
  return wascc_http_respond(200, "OK", "application/json", json.data, json.len);
}

static int health(wapc_bytes payload) {
  (void)payload;
  static const uint8_t nil = 0xc0; /* unit, as the Rust SDK answers */
  wapc_respond(&nil, 1);
  return 1;
}

static const wapc_operation operations[] = {{"HandleRequest", handle_request}, {"HealthRequest", health}};
WAPC_GUEST(operations)
