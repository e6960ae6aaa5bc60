// A token from outside: the JWT's three parts, its header and payload JSON, and the claims
// read from the payload (what a module's custom section or an invocation carries).
#include "fuzz_input.h"
#include "wascc/wascap/claims.h"
#include "wascc/wascap/jwt.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  auto token = jwt::decode(fuzz::text(data, size));
  if (token) (void)claims::from_json(token->payload);
  return 0;
}
