/* The kernel suite of bench/kernel_bench.py, beside fib and the FNV hash loop of
 * compute_kernels.h: a byte-store loop, an integer matrix multiply, quicksort, SHA-256 and a
 * JSON parser over a ~100 KB document. Plain C without libc, so that the same source builds
 * for wasm32 (the guest) and natively (the floor). Each takes a round count and returns a
 * checksum, so no compiler can drop the work. */
#ifndef KERNEL_SUITE_H
#define KERNEL_SUITE_H

#include <stdint.h>

#include "compute_kernels.h" /* format_decimal */

/* Writes a pattern over 64 KiB `rounds` times (the loop whose stores may alias everything). */
static uint32_t byte_store(uint32_t rounds) {
  static uint8_t buffer[65536];
  for (uint32_t r = 0; r < rounds; ++r) {
    for (uint32_t i = 0; i < sizeof buffer; ++i) buffer[i] = (uint8_t)((i * 7u) ^ r);
  }
  uint32_t sum = 0;
  for (uint32_t i = 0; i < sizeof buffer; i += 61) sum = sum * 31u + buffer[i];
  return sum;
}

#define KERNEL_MATRIX 48
static uint32_t matrix_multiply(uint32_t rounds) {
  static uint32_t a[KERNEL_MATRIX * KERNEL_MATRIX], b[KERNEL_MATRIX * KERNEL_MATRIX], c[KERNEL_MATRIX * KERNEL_MATRIX];
  for (uint32_t i = 0; i < KERNEL_MATRIX * KERNEL_MATRIX; ++i) {
    a[i] = i * 7u + 1u;
    b[i] = i * 13u + 5u;
  }
  uint32_t check = 0;
  for (uint32_t r = 0; r < rounds; ++r) {
    for (uint32_t i = 0; i < KERNEL_MATRIX; ++i) {
      for (uint32_t j = 0; j < KERNEL_MATRIX; ++j) {
        uint32_t sum = r;
        for (uint32_t k = 0; k < KERNEL_MATRIX; ++k) sum += a[i * KERNEL_MATRIX + k] * b[k * KERNEL_MATRIX + j];
        c[i * KERNEL_MATRIX + j] = sum;
      }
    }
    check ^= c[(r * 37u) % (KERNEL_MATRIX * KERNEL_MATRIX)];
    a[r % (KERNEL_MATRIX * KERNEL_MATRIX)] = check;
  }
  return check;
}

static void quicksort(uint32_t* items, int32_t low, int32_t high) {
  while (high - low > 16) {
    const uint32_t pivot = items[low + (high - low) / 2];
    int32_t i = low, j = high;
    while (i <= j) {
      while (items[i] < pivot) ++i;
      while (items[j] > pivot) --j;
      if (i <= j) {
        const uint32_t swap = items[i];
        items[i++] = items[j];
        items[j--] = swap;
      }
    }
    /* Recurse into the smaller side, loop on the larger: the depth stays logarithmic. */
    if (j - low < high - i) {
      quicksort(items, low, j);
      low = i;
    } else {
      quicksort(items, i, high);
      high = j;
    }
  }
  for (int32_t i = low + 1; i <= high; ++i) {
    const uint32_t item = items[i];
    int32_t j = i - 1;
    while (j >= low && items[j] > item) {
      items[j + 1] = items[j];
      --j;
    }
    items[j + 1] = item;
  }
}

#define KERNEL_SORTED 8192
static uint32_t sort_rounds(uint32_t rounds) {
  static uint32_t items[KERNEL_SORTED];
  uint32_t state = 2463534242u, check = 0;
  for (uint32_t r = 0; r < rounds; ++r) {
    for (uint32_t i = 0; i < KERNEL_SORTED; ++i) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      items[i] = state;
    }
    quicksort(items, 0, KERNEL_SORTED - 1);
    check = check * 31u + items[r % KERNEL_SORTED];
  }
  return check;
}

/* SHA-256 (FIPS 180-4) of a 4 KiB buffer, `rounds` times, each round's digest folded into
 * the buffer. */
static uint32_t sha256_rotate(uint32_t x, uint32_t n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(uint32_t state[8], const uint8_t* block) {
  static const uint32_t k[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t)block[i * 4] << 24 | (uint32_t)block[i * 4 + 1] << 16 | (uint32_t)block[i * 4 + 2] << 8 |
           block[i * 4 + 3];
  }
  for (int i = 16; i < 64; ++i) {
    const uint32_t s0 = sha256_rotate(w[i - 15], 7) ^ sha256_rotate(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = sha256_rotate(w[i - 2], 17) ^ sha256_rotate(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4], f = state[5], g = state[6],
           h = state[7];
  for (int i = 0; i < 64; ++i) {
    const uint32_t t1 =
        h + (sha256_rotate(e, 6) ^ sha256_rotate(e, 11) ^ sha256_rotate(e, 25)) + ((e & f) ^ (~e & g)) + k[i] + w[i];
    const uint32_t t2 =
        (sha256_rotate(a, 2) ^ sha256_rotate(a, 13) ^ sha256_rotate(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a, state[1] += b, state[2] += c, state[3] += d;
  state[4] += e, state[5] += f, state[6] += g, state[7] += h;
}

static uint32_t sha256_rounds(uint32_t rounds) {
  static uint8_t buffer[4096];
  for (uint32_t i = 0; i < sizeof buffer; ++i) buffer[i] = (uint8_t)(i * 131u + 3u);
  uint32_t state[8] = {0};
  for (uint32_t r = 0; r < rounds; ++r) {
    const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    for (int i = 0; i < 8; ++i) state[i] = initial[i];
    for (uint32_t offset = 0; offset < sizeof buffer; offset += 64) sha256_block(state, buffer + offset);
    /* The length block of a 4 KiB message: 0x80, zeros, then 32768 bits big-endian. */
    uint8_t last[64] = {0x80};
    last[62] = 0x80;
    sha256_block(state, last);
    buffer[r % sizeof buffer] ^= (uint8_t)state[0];
  }
  return state[0] ^ state[7];
}

/* A JSON document of ~100 KB (objects with numbers, strings, booleans, nested lists), made
 * once, then parsed `rounds` times by a recursive-descent parser that sums every number's
 * integer part and counts strings; a malformed document returns 0. */
#define KERNEL_JSON_BYTES 110000
static char kernel_json[KERNEL_JSON_BYTES];
static uint32_t kernel_json_length;

static uint32_t json_append(uint32_t at, const char* text) {
  while (*text) kernel_json[at++] = *text++;
  return at;
}

static uint32_t json_append_number(uint32_t at, uint32_t value) {
  return at + format_decimal(value, (uint8_t*)kernel_json + at);
}

static void json_make_document(void) {
  uint32_t at = json_append(0, "[");
  for (uint32_t i = 0; at < KERNEL_JSON_BYTES - 200; ++i) {
    at = json_append(at, i == 0 ? "{\"id\":" : ",{\"id\":");
    at = json_append_number(at, i);
    at = json_append(at, ",\"name\":\"item ");
    at = json_append_number(at, i * 7919u % 100000u);
    at = json_append(at, "\\u0041\",\"price\":");
    at = json_append_number(at, i % 997u);
    at = json_append(at, ".25,\"ok\":");
    at = json_append(at, i % 3 ? "true" : "false");
    at = json_append(at, ",\"tags\":[\"a\",\"b\",[1,2,{\"deep\":null}]],\"ratio\":-1.5e3}");
  }
  kernel_json_length = json_append(at, "]");
}

struct json_cursor {
  const char* at;
  const char* end;
  uint32_t sum, strings, depth;
};

static int json_value(struct json_cursor* c);

static void json_space(struct json_cursor* c) {
  while (c->at < c->end && (*c->at == ' ' || *c->at == '\n' || *c->at == '\t' || *c->at == '\r')) ++c->at;
}

static int json_literal(struct json_cursor* c, const char* word) {
  for (; *word; ++word, ++c->at) {
    if (c->at >= c->end || *c->at != *word) return 0;
  }
  return 1;
}

static int json_string(struct json_cursor* c) {
  ++c->at; /* the opening quote */
  while (c->at < c->end && *c->at != '"') {
    if (*c->at == '\\') {
      ++c->at;
      if (c->at < c->end && *c->at == 'u') c->at += 4;
    }
    ++c->at;
  }
  if (c->at >= c->end) return 0;
  ++c->at;
  ++c->strings;
  return 1;
}

static int json_number(struct json_cursor* c) {
  if (*c->at == '-') ++c->at;
  uint32_t value = 0, digits = 0;
  while (c->at < c->end && *c->at >= '0' && *c->at <= '9') value = value * 10 + (uint32_t)(*c->at++ - '0'), ++digits;
  if (c->at < c->end && *c->at == '.') {
    ++c->at;
    while (c->at < c->end && *c->at >= '0' && *c->at <= '9') ++c->at;
  }
  if (c->at < c->end && (*c->at == 'e' || *c->at == 'E')) {
    ++c->at;
    if (c->at < c->end && (*c->at == '+' || *c->at == '-')) ++c->at;
    while (c->at < c->end && *c->at >= '0' && *c->at <= '9') ++c->at;
  }
  c->sum += value;
  return digits > 0;
}

static int json_items(struct json_cursor* c, char close, int keyed) {
  ++c->at; /* the opening bracket */
  json_space(c);
  if (c->at < c->end && *c->at == close) return ++c->at, 1;
  for (;;) {
    json_space(c);
    if (keyed) {
      if (c->at >= c->end || *c->at != '"' || !json_string(c)) return 0;
      json_space(c);
      if (c->at >= c->end || *c->at++ != ':') return 0;
    }
    if (!json_value(c)) return 0;
    json_space(c);
    if (c->at >= c->end) return 0;
    if (*c->at == close) return ++c->at, 1;
    if (*c->at++ != ',') return 0;
  }
}

static int json_value(struct json_cursor* c) {
  json_space(c);
  if (c->at >= c->end || c->depth > 64) return 0;
  switch (*c->at) {
    case '{':
    case '[': {
      ++c->depth;
      const int ok = json_items(c, *c->at == '{' ? '}' : ']', *c->at == '{');
      --c->depth;
      return ok;
    }
    case '"': return json_string(c);
    case 't': return json_literal(c, "true");
    case 'f': return json_literal(c, "false");
    case 'n': return json_literal(c, "null");
    default: return json_number(c);
  }
}

static uint32_t json_rounds(uint32_t rounds) {
  if (kernel_json_length == 0) json_make_document();
  uint32_t check = 0;
  for (uint32_t r = 0; r < rounds; ++r) {
    struct json_cursor c = {kernel_json, kernel_json + kernel_json_length, 0, 0, 0};
    if (!json_value(&c)) return 0;
    check = check * 31u + c.sum + c.strings;
  }
  return check;
}

#endif
