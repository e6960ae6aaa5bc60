#include "wascc/wasm/module_build.h"

#include "wascc/wasm/custom_sections.h"
#include "wascc/wasm/module.h"
#include "wascc/wasm/wat.h"

namespace wascc::module_build {

Result<Output> build(ByteView input, const std::string& filename, const Options& options) {
  Output output;
  Bytes binary;
  if (wat::looks_binary(input)) {
    output.steps.push_back({"input (binary)", input.size()});
    if (auto valid = wat::validate_binary(input, filename, options.features); !valid) return valid.error();
    binary.assign(input.begin(), input.end());
  } else {
    output.steps.push_back({"input (text)", input.size()});
    auto compiled = wat::compile(input, filename, options.features);
    if (!compiled) return compiled.error();
    binary = std::move(compiled.value());
    output.steps.push_back({"compiled", binary.size()});
  }

  if (options.optimize) {
    auto optimized = optimizer::optimize(binary, *options.optimize, options.features,
                                         /*keep_debug_info=*/options.debug_names && !options.strip_debug);
    if (!optimized) return optimized.error();
    // The optimizer is trusted no further than the parser: its output must validate too.
    if (auto valid = wat::validate_binary(*optimized, filename + " (optimized)", options.features); !valid) {
      return invalid_error("internal error: Binaryen's output does not validate:\n" + valid.error().message);
    }
    binary = std::move(optimized.value());
    output.steps.push_back({"optimized " + options.optimize->name, binary.size()});
  }

  if (options.strip_debug) {
    auto layout = module::read_layout(binary);
    if (!layout) return layout.error();
    binary = custom_sections::remove_debug_sections(binary, *layout);
    output.steps.push_back({"stripped", binary.size()});
  }

  if (options.print_text) {
    auto text = wat::to_text(binary, filename, options.features);
    if (!text) return text.error();
    output.bytes.assign(text->begin(), text->end());
    output.steps.push_back({"printed", output.bytes.size()});
  } else {
    output.bytes = std::move(binary);
  }
  return output;
}

}  // namespace wascc::module_build
