// wapc compile MODULE...: build the native artifacts ahead of time (for CI images).
#include <cstdio>
#include <iostream>
#include <memory>

#include "wapc/subcommands.h"
#include "wascc/engine/aot_engine.h"

namespace wascc::tools::wapc_cli {
namespace {

struct CompileOptions {
  std::vector<std::string> modules;
  bool json = false;
};

int run_compile(const CompileOptions& options) {
  int worst = kExitSuccess;
  jwt::Json results = jwt::Json::array();
  for (const auto& path : options.modules) {
    auto input = InputFile::open(path, {.magic = wascc::kWasmMagic});
    if (!input) {
      print_error("wapc", input.error().message);
      worst = kExitUsage;
      continue;
    }
    auto built = aot_engine::precompile(input->bytes(), path);
    if (!built) {
      print_error("wapc", built.error().message);
      if (worst == kExitSuccess) worst = exit_code_for(built.error());
      continue;
    }
    if (options.json) {
      results.push_back({{"module", path},
                         {"artifact", built->artifact_path},
                         {"cached", built->from_cache},
                         {"compile_ms", built->compile_milliseconds}});
    } else if (built->from_cache) {
      std::cout << path << ": cached " << built->artifact_path << '\n';
    } else {
      std::printf("%s: compiled in %.0f ms: %s\n", path.c_str(), built->compile_milliseconds,
                  built->artifact_path.c_str());
    }
  }
  if (options.json) print_json(results);
  return worst;
}

}  // namespace

Subcommand setup_compile(CLI::App* compile) {
  auto options = std::make_shared<CompileOptions>();
  compile->add_option("modules", options->modules, "Modules (.wasm)")->required();
  compile->add_flag("--json", options->json, "Print [{module, artifact, cached, compile_ms}]");
  return {compile, [options] { return run_compile(*options); }};
}

}  // namespace wascc::tools::wapc_cli
