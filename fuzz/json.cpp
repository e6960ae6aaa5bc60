// JSON from outside, through the one parser every subsystem uses (its depth limit included):
// claims payloads, policy data and input, process-provider frames, OCI manifests, manifests.
#include "fuzz_input.h"
#include "wascc/base/json.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  const auto text = fuzz::text(data, size);
  auto parsed = json::parse(text, {.max_depth = json::kDefaultMaxDepth, .reject_duplicate_keys = true});
  auto validated = json::validate(text);
  // The two readers agree on what is JSON (duplicate keys aside, which validate allows)...
  if (parsed && !validated) __builtin_trap();
  // ...both ways: validate's own fast scan accepts nothing nlohmann's reader refuses.
  if (validated && !json::parse(text)) __builtin_trap();
  if (parsed) (void)json::dump(*parsed);
  return 0;
}
