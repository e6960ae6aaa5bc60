/* Compute kernels shared by the waPC compute guest and its native twin, so that the
 * benchmarks compare the same code. */
#ifndef COMPUTE_KERNELS_H
#define COMPUTE_KERNELS_H

#include <stdint.h>

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

/* FNV-1a over `rounds` passes of a 4 KiB buffer the kernel fills itself. */
static uint32_t hash_loop(uint32_t rounds) {
  static uint8_t buffer[4096];
  for (uint32_t i = 0; i < sizeof buffer; ++i) buffer[i] = (uint8_t)(i * 31u + 7u);
  uint32_t hash = 2166136261u;
  for (uint32_t r = 0; r < rounds; ++r) {
    for (uint32_t i = 0; i < sizeof buffer; ++i) {
      hash ^= buffer[i];
      hash *= 16777619u;
    }
    buffer[r % sizeof buffer] ^= (uint8_t)hash;
  }
  return hash;
}

static uint32_t parse_decimal(const uint8_t* text, uint32_t length) {
  uint32_t value = 0;
  for (uint32_t i = 0; i < length && text[i] >= '0' && text[i] <= '9'; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

/* Writes `value` in decimal to `out` (at least 11 bytes); returns the length. */
static uint32_t format_decimal(uint32_t value, uint8_t* out) {
  uint8_t digits[10];
  uint32_t count = 0;
  do {
    digits[count++] = (uint8_t)('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (uint32_t i = 0; i < count; ++i) out[i] = digits[count - 1 - i];
  return count;
}

#endif
