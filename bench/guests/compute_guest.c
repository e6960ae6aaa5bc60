/* waPC compute guest: each kernel (fib, hash, and the suite's bytes, matmul, sort, sha256,
 * json) takes a decimal argument and answers in decimal. */
#include "wapc_guest.h"
#include "compute_kernels.h"
#include "kernel_suite.h"

static int respond_number(uint32_t value) {
  uint8_t* out = (uint8_t*)wapc_alloc(11);
  wapc_respond(out, format_decimal(value, out));
  return 1;
}

#define KERNEL_OPERATION(name, kernel) \
  static int name(wapc_bytes payload) { return respond_number(kernel(parse_decimal(payload.data, payload.len))); }
KERNEL_OPERATION(run_fib, fib)
KERNEL_OPERATION(run_hash, hash_loop)
KERNEL_OPERATION(run_bytes, byte_store)
KERNEL_OPERATION(run_matmul, matrix_multiply)
KERNEL_OPERATION(run_sort, sort_rounds)
KERNEL_OPERATION(run_sha256, sha256_rounds)
KERNEL_OPERATION(run_json, json_rounds)
static int echo(wapc_bytes payload) {
  wapc_respond(payload.data, payload.len);
  return 1;
}

static const wapc_operation operations[] = {{"fib", run_fib},       {"hash", run_hash}, {"bytes", run_bytes},
                                            {"matmul", run_matmul}, {"sort", run_sort}, {"sha256", run_sha256},
                                            {"json", run_json},     {"echo", echo}};
WAPC_GUEST(operations)
