// A policy from outside as `--policy` reads it: an OPA bundle (gzip'd tar with a /.manifest)
// or a module, and the facts read from an OPA module's exports and imports.
#include "fuzz_input.h"
#include "wascc/policy/opa_module.h"
#include "wascc/policy/policy_gate.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  auto bundle = policy_gate::read_policy(Bytes(data, data + size), "fuzz.tar.gz");
  if (bundle) (void)opa_module::read_facts(bundle->wasm);
  return 0;
}
