/* The compute kernels compiled natively (the floor the engines are measured against).
 * Usage: compute_native fib|hash N REPEAT -> prints the result and the mean ms per run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compute_kernels.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: compute_native fib|hash N REPEAT\n");
    return 2;
  }
  uint32_t n = (uint32_t)strtoul(argv[2], NULL, 10);
  int repeat = atoi(argv[3]);
  volatile uint32_t result = 0;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < repeat; ++i) result = strcmp(argv[1], "fib") == 0 ? fib(n) : hash_loop(n);
  clock_gettime(CLOCK_MONOTONIC, &end);
  double ms = (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6;
  printf("%u %.4f\n", result, ms / repeat);
  return 0;
}
