// Run manifests from outside, YAML and JSON (the first byte picks the format), and the
// binding and provider specs a command line carries.
#include <string>

#include "fuzz_input.h"
#include "wascc/runner/binding_spec.h"
#include "wascc/runner/manifest.h"
#include "wascc/runner/runner.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > fuzz::kMaxInput) return -1;
  const auto format = data[0] & 1 ? manifest::Format::Json : manifest::Format::Yaml;
  const auto text = fuzz::text(data + 1, size - 1);
  if (auto parsed = manifest::parse(text, format, "fuzz.yaml"))
    (void)runner::plan_for_manifest(*parsed, "/nonexistent/fuzz.yaml");
  const auto no_variables = [](const std::string&) -> std::optional<std::string> { return std::string("x"); };
  (void)manifest::expand_variables(text, no_variables);
  (void)binding_spec::parse(text);
  return 0;
}
