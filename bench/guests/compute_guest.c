/* waPC compute guest: "fib" and "hash" take a decimal argument and answer in decimal. */
#include "wapc_guest.h"
#include "compute_kernels.h"

static int respond_number(uint32_t value) {
  uint8_t* out = (uint8_t*)wapc_alloc(11);
  wapc_respond(out, format_decimal(value, out));
  return 1;
}

static int run_fib(wapc_bytes payload) { return respond_number(fib(parse_decimal(payload.data, payload.len))); }
static int run_hash(wapc_bytes payload) { return respond_number(hash_loop(parse_decimal(payload.data, payload.len))); }
static int echo(wapc_bytes payload) {
  wapc_respond(payload.data, payload.len);
  return 1;
}

static const wapc_operation operations[] = {{"fib", run_fib}, {"hash", run_hash}, {"echo", echo}};
WAPC_GUEST(operations)
