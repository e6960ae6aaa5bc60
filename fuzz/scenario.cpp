// `wascc test` scenario files, YAML and JSON (the first byte picks the format).
#include "fuzz_input.h"
#include "wascc/testing/scenario.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > fuzz::kMaxInput) return -1;
  const auto format = data[0] & 1 ? manifest::Format::Json : manifest::Format::Yaml;
  (void)scenario::parse(fuzz::text(data + 1, size - 1), format, "fuzz.yaml");
  return 0;
}
