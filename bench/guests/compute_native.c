/* The compute kernels compiled natively (the floor the engines are measured against).
 * Usage: compute_native KERNEL N REPEAT -> prints the result and the mean ms per run
 * (KERNEL: fib, hash, bytes, matmul, sort, sha256, json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compute_kernels.h"
#include "kernel_suite.h"

static const struct {
  const char* name;
  uint32_t (*run)(uint32_t);
} kernels[] = {{"fib", fib},          {"hash", hash_loop},       {"bytes", byte_store}, {"matmul", matrix_multiply},
               {"sort", sort_rounds}, {"sha256", sha256_rounds}, {"json", json_rounds}};

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: compute_native KERNEL N REPEAT\n");
    return 2;
  }
  uint32_t (*run)(uint32_t) = NULL;
  for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; ++i) {
    if (strcmp(argv[1], kernels[i].name) == 0) run = kernels[i].run;
  }
  if (run == NULL) {
    fprintf(stderr, "compute_native: no kernel %s\n", argv[1]);
    return 2;
  }
  uint32_t n = (uint32_t)strtoul(argv[2], NULL, 10);
  int repeat = atoi(argv[3]);
  volatile uint32_t result = 0;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (int i = 0; i < repeat; ++i) result = run(n);
  clock_gettime(CLOCK_MONOTONIC, &end);
  double ms = (double)(end.tv_sec - start.tv_sec) * 1e3 + (double)(end.tv_nsec - start.tv_nsec) / 1e6;
  printf("%u %.4f\n", result, ms / repeat);
  return 0;
}
