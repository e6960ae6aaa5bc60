// A module from outside as `wascap inspect` and `verify` read it: its sections, its custom
// sections, the embedded token, both hash rules and the whole verification report.
#include "fuzz_input.h"
#include "wascc/wascap/claims_report.h"
#include "wascc/wascap/embedded_claims.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/wasm/custom_sections.h"
#include "wascc/wasm/declared_sizes.h"
#include "wascc/wasm/module.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  const auto wasm = fuzz::bytes(data, size);
  if (auto layout = module::read_layout(wasm)) {
    (void)custom_sections::list(wasm, *layout);
    (void)embedded_claims::find_token(wasm, *layout);
    (void)embedded_claims::raw_strip(wasm, *layout);
    (void)embedded_claims::canonical_strip(wasm, *layout);
  }
  (void)declared_sizes::read(wasm);
  module_verification::Policy policy;
  policy.now = 1800000000;
  if (auto report = module_verification::verify_module(wasm, policy)) (void)report->valid();
  return 0;
}
