/* wascc_actor.h: write waSCC actors in C on top of wapc_guest.h.
 *
 * The payloads of waSCC's capability contracts are msgpack maps keyed by camelCase field names
 * (wascc-codec 0.6-0.8). This header reads and writes just enough msgpack for them, and wraps
 * the contracts the examples use: wascc:http_server (HandleRequest), wascc:keyvalue (Add),
 * wascc:logging (WriteLog) and wascc:messaging (DeliverMessage, Publish).
 * Memory comes from wapc_alloc and lives until the call ends. */
#ifndef WASCC_ACTOR_H
#define WASCC_ACTOR_H

#include "wapc_guest.h"

/* ---- msgpack reading ---------------------------------------------------------------------- */

typedef struct {
  const uint8_t* data;
  uint32_t len;
  uint32_t at;
  int ok; /* cleared by the first malformed or unexpected item */
} mp_reader;

static inline mp_reader mp_reader_of(wapc_bytes bytes) {
  mp_reader reader = {bytes.data, bytes.len, 0, 1};
  return reader;
}

static inline uint64_t mp_take(mp_reader* r, uint32_t count) {
  uint64_t value = 0;
  if (!r->ok || r->len - r->at < count) {
    r->ok = 0;
    return 0;
  }
  for (uint32_t i = 0; i < count; ++i) value = (value << 8) | r->data[r->at++];
  return value;
}

/* A map header: its number of entries. */
static inline uint32_t mp_read_map(mp_reader* r) {
  uint8_t tag = (uint8_t)mp_take(r, 1);
  if ((tag & 0xf0) == 0x80) return tag & 0x0f;
  if (tag == 0xde) return (uint32_t)mp_take(r, 2);
  if (tag == 0xdf) return (uint32_t)mp_take(r, 4);
  r->ok = 0;
  return 0;
}

/* A str or bin item, viewed in place. */
static inline wapc_bytes mp_read_bytes(mp_reader* r) {
  wapc_bytes out = {0, 0};
  uint8_t tag = (uint8_t)mp_take(r, 1);
  uint32_t length;
  if ((tag & 0xe0) == 0xa0)
    length = tag & 0x1f;
  else if (tag == 0xd9 || tag == 0xc4)
    length = (uint32_t)mp_take(r, 1);
  else if (tag == 0xda || tag == 0xc5)
    length = (uint32_t)mp_take(r, 2);
  else if (tag == 0xdb || tag == 0xc6)
    length = (uint32_t)mp_take(r, 4);
  else {
    r->ok = 0;
    return out;
  }
  if (!r->ok || r->len - r->at < length) {
    r->ok = 0;
    return out;
  }
  out.data = r->data + r->at;
  out.len = length;
  r->at += length;
  return out;
}

/* Any integer form, as a signed 64-bit value. */
static inline int64_t mp_read_int(mp_reader* r) {
  uint8_t tag = (uint8_t)mp_take(r, 1);
  if (tag < 0x80) return tag;
  if (tag >= 0xe0) return (int8_t)tag;
  switch (tag) {
    case 0xcc: return (int64_t)mp_take(r, 1);
    case 0xcd: return (int64_t)mp_take(r, 2);
    case 0xce: return (int64_t)mp_take(r, 4);
    case 0xcf: return (int64_t)mp_take(r, 8);
    case 0xd0: return (int8_t)mp_take(r, 1);
    case 0xd1: return (int16_t)mp_take(r, 2);
    case 0xd2: return (int32_t)mp_take(r, 4);
    case 0xd3: return (int64_t)mp_take(r, 8);
    default: r->ok = 0; return 0;
  }
}

/* Skips one item of any kind (nested maps and arrays included). */
static inline void mp_skip(mp_reader* r) {
  uint32_t pending = 1;
  while (pending > 0 && r->ok) {
    --pending;
    uint8_t tag = r->at < r->len ? r->data[r->at] : 0xc1;
    if (tag < 0x80 || tag >= 0xe0 || (tag >= 0xcc && tag <= 0xd3)) {
      (void)mp_read_int(r);
    } else if ((tag & 0xe0) == 0xa0 || tag == 0xd9 || tag == 0xda || tag == 0xdb || (tag >= 0xc4 && tag <= 0xc6)) {
      (void)mp_read_bytes(r);
    } else if ((tag & 0xf0) == 0x80 || tag == 0xde || tag == 0xdf) {
      pending += 2 * mp_read_map(r);
    } else if ((tag & 0xf0) == 0x90 || tag == 0xdc || tag == 0xdd) {
      r->at++;
      pending += (tag & 0xf0) == 0x90 ? (tag & 0x0f) : (uint32_t)mp_take(r, tag == 0xdc ? 2 : 4);
    } else if (tag == 0xc0 || tag == 0xc2 || tag == 0xc3) {
      r->at++;
    } else if (tag == 0xca || tag == 0xcb) {
      r->at++;
      (void)mp_take(r, tag == 0xca ? 4 : 8);
    } else {
      r->ok = 0;
    }
  }
}

static inline int wascc_bytes_equal(wapc_bytes bytes, const char* text) {
  uint32_t length = wapc_strlen(text);
  if (bytes.len != length) return 0;
  for (uint32_t i = 0; i < length; ++i) {
    if (bytes.data[i] != (uint8_t)text[i]) return 0;
  }
  return 1;
}

/* ---- msgpack writing ---------------------------------------------------------------------- */

typedef struct {
  uint8_t* data;
  uint32_t len;
  uint32_t capacity;
} mp_writer;

static inline mp_writer mp_writer_new(uint32_t capacity) {
  mp_writer writer = {(uint8_t*)wapc_alloc(capacity), 0, capacity};
  return writer;
}

static inline void mp_put(mp_writer* w, uint64_t value, uint32_t bytes) {
  if (w->capacity - w->len < bytes) __builtin_trap(); /* the caller sized the buffer */
  for (uint32_t i = bytes; i > 0; --i) w->data[w->len++] = (uint8_t)(value >> (8 * (i - 1)));
}

static inline void mp_put_raw(mp_writer* w, const uint8_t* data, uint32_t length) {
  if (w->capacity - w->len < length) __builtin_trap();
  wapc_memcpy(w->data + w->len, data, length);
  w->len += length;
}

static inline void mp_write_map(mp_writer* w, uint32_t entries) {
  if (entries < 16)
    mp_put(w, 0x80 | entries, 1);
  else
    mp_put(w, ((uint64_t)0xde << 16) | entries, 3);
}

static inline void mp_write_str(mp_writer* w, const uint8_t* data, uint32_t length) {
  if (length < 32)
    mp_put(w, 0xa0 | length, 1);
  else if (length <= 0xff)
    mp_put(w, (0xd9u << 8) | length, 2);
  else if (length <= 0xffff)
    mp_put(w, (0xdau << 16) | length, 3);
  else
    mp_put(w, ((uint64_t)0xdb << 32) | length, 5);
  mp_put_raw(w, data, length);
}

static inline void mp_write_text(mp_writer* w, const char* text) {
  mp_write_str(w, (const uint8_t*)text, wapc_strlen(text));
}

static inline void mp_write_bin(mp_writer* w, const uint8_t* data, uint32_t length) {
  if (length <= 0xff)
    mp_put(w, (0xc4u << 8) | length, 2);
  else if (length <= 0xffff)
    mp_put(w, (0xc5u << 16) | length, 3);
  else
    mp_put(w, ((uint64_t)0xc6 << 32) | length, 5);
  mp_put_raw(w, data, length);
}

static inline void mp_write_int(mp_writer* w, int64_t value) {
  if (value >= 0 && value < 128)
    mp_put(w, (uint64_t)value, 1);
  else if (value >= -32 && value < 0)
    mp_put(w, (uint8_t)value, 1);
  else if (value > 0 && value <= 0xff)
    mp_put(w, (0xccu << 8) | (uint64_t)value, 2);
  else if (value > 0 && value <= 0xffff)
    mp_put(w, (0xcdu << 16) | (uint64_t)value, 3);
  else if (value > 0 && value <= 0xffffffff)
    mp_put(w, ((uint64_t)0xce << 32) | (uint64_t)value, 5);
  else {
    mp_put(w, 0xd3, 1);
    mp_put(w, (uint64_t)value, 8);
  }
}

static inline wapc_bytes mp_written(const mp_writer* w) {
  wapc_bytes out = {w->data, w->len};
  return out;
}

/* ---- wascc:http_server -------------------------------------------------------------------- */

typedef struct {
  wapc_bytes method, path, query_string, body;
  wapc_bytes header; /* the raw msgpack map, for wascc_http_header */
} wascc_http_request;

/* HandleRequest's payload; 0 when it is not a Request map. */
static inline int wascc_decode_http_request(wapc_bytes payload, wascc_http_request* request) {
  mp_reader r = mp_reader_of(payload);
  wascc_http_request empty = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {0, 0}};
  *request = empty;
  uint32_t entries = mp_read_map(&r);
  for (uint32_t i = 0; i < entries && r.ok; ++i) {
    wapc_bytes key = mp_read_bytes(&r);
    if (wascc_bytes_equal(key, "method"))
      request->method = mp_read_bytes(&r);
    else if (wascc_bytes_equal(key, "path"))
      request->path = mp_read_bytes(&r);
    else if (wascc_bytes_equal(key, "queryString"))
      request->query_string = mp_read_bytes(&r);
    else if (wascc_bytes_equal(key, "body"))
      request->body = mp_read_bytes(&r);
    else if (wascc_bytes_equal(key, "header")) {
      uint32_t start = r.at;
      mp_skip(&r);
      request->header.data = r.data + start;
      request->header.len = r.at - start;
    } else
      mp_skip(&r);
  }
  return r.ok;
}

/* Answers HandleRequest: a Response {statusCode, status, header {content-type}, body}. */
static inline int wascc_http_respond(uint32_t status_code, const char* status, const char* content_type,
                                     const uint8_t* body, uint32_t body_length) {
  mp_writer w = mp_writer_new(96 + wapc_strlen(status) + wapc_strlen(content_type) + body_length);
  mp_write_map(&w, 4);
  mp_write_text(&w, "statusCode");
  mp_write_int(&w, status_code);
  mp_write_text(&w, "status");
  mp_write_text(&w, status);
  mp_write_text(&w, "header");
  mp_write_map(&w, 1);
  mp_write_text(&w, "content-type");
  mp_write_text(&w, content_type);
  mp_write_text(&w, "body");
  mp_write_bin(&w, body, body_length);
  wapc_respond(w.data, w.len);
  return 1;
}

/* ---- calling capabilities ----------------------------------------------------------------- */

/* On failure the guest fails the call with "Host error: <text>" (0 is returned, so a handler
 * can `return` it); on success *reply holds the provider's answer. */
static inline int wascc_call(const char* namespace_, const char* operation, wapc_bytes payload, wapc_bytes* reply) {
  if (wapc_host_call("default", namespace_, operation, payload, reply)) return 1;
  uint8_t* message = (uint8_t*)wapc_alloc(reply->len + 12);
  wapc_memcpy(message, (const uint8_t*)"Host error: ", 12);
  wapc_memcpy(message + 12, reply->data, reply->len);
  __guest_error(message, reply->len + 12);
  return 0;
}

/* wascc:keyvalue Add (INCRBY): *total is the value after adding. */
static inline int wascc_keyvalue_add(const uint8_t* key, uint32_t key_length, int32_t amount, int64_t* total) {
  mp_writer w = mp_writer_new(32 + key_length);
  mp_write_map(&w, 2);
  mp_write_text(&w, "key");
  mp_write_str(&w, key, key_length);
  mp_write_text(&w, "value");
  mp_write_int(&w, amount);
  wapc_bytes reply;
  if (!wascc_call("wascc:keyvalue", "Add", mp_written(&w), &reply)) return 0;
  mp_reader r = mp_reader_of(reply);
  uint32_t entries = mp_read_map(&r);
  for (uint32_t i = 0; i < entries && r.ok; ++i) {
    if (wascc_bytes_equal(mp_read_bytes(&r), "value"))
      *total = mp_read_int(&r);
    else
      mp_skip(&r);
  }
  return r.ok ? 1 : wapc_fail("wascc:keyvalue answered Add with a malformed reply");
}

enum { WASCC_LOG_ERROR = 1, WASCC_LOG_WARN = 2, WASCC_LOG_INFO = 3, WASCC_LOG_DEBUG = 4, WASCC_LOG_TRACE = 5 };

/* wascc:logging WriteLog. */
static inline int wascc_write_log(uint32_t level, const uint8_t* text, uint32_t length) {
  mp_writer w = mp_writer_new(32 + length);
  mp_write_map(&w, 2);
  mp_write_text(&w, "level");
  mp_write_int(&w, level);
  mp_write_text(&w, "body");
  mp_write_str(&w, text, length);
  wapc_bytes reply;
  return wascc_call("wascc:logging", "WriteLog", mp_written(&w), &reply);
}

/* ---- wascc:messaging ---------------------------------------------------------------------- */

typedef struct {
  wapc_bytes subject, reply_to, body;
} wascc_broker_message;

/* DeliverMessage's payload; 0 when it is not a BrokerMessage map. */
static inline int wascc_decode_broker_message(wapc_bytes payload, wascc_broker_message* message) {
  mp_reader r = mp_reader_of(payload);
  wascc_broker_message empty = {{0, 0}, {0, 0}, {0, 0}};
  *message = empty;
  uint32_t entries = mp_read_map(&r);
  for (uint32_t i = 0; i < entries && r.ok; ++i) {
    wapc_bytes key = mp_read_bytes(&r);
    if (wascc_bytes_equal(key, "subject"))
      message->subject = mp_read_bytes(&r);
    else if (wascc_bytes_equal(key, "replyTo"))
      message->reply_to = mp_read_bytes(&r);
    else if (wascc_bytes_equal(key, "body"))
      message->body = mp_read_bytes(&r);
    else
      mp_skip(&r);
  }
  return r.ok;
}

/* wascc:messaging Publish of body to subject (reply_to may be empty). */
static inline int wascc_publish(wapc_bytes subject, wapc_bytes reply_to, wapc_bytes body) {
  mp_writer w = mp_writer_new(48 + subject.len + reply_to.len + body.len);
  mp_write_map(&w, 3);
  mp_write_text(&w, "subject");
  mp_write_str(&w, subject.data, subject.len);
  mp_write_text(&w, "replyTo");
  mp_write_str(&w, reply_to.data, reply_to.len);
  mp_write_text(&w, "body");
  mp_write_bin(&w, body.data, body.len);
  wapc_bytes reply;
  return wascc_call("wascc:messaging", "Publish", mp_written(&w), &reply);
}

#endif /* WASCC_ACTOR_H */
