// watc: WAT to wasm in-process with WABT; optimize with Binaryen; print back as WAT.
#include <filesystem>
#include <iostream>

#include "common/tool_support.h"
#include "watc/parser_abort_guard.h"
#include "wascc/wasm/module_build.h"
#include "wascc/wasm/wat.h"

namespace {

constexpr const char* kDescription = R"(watc: compile WebAssembly text to a binary module, in-process (WABT),
optionally optimized (Binaryen).

IN is .wat text, or a .wasm binary (detected by its magic bytes) to validate, optimize,
strip or print. Errors read like a compiler's (file:line:col, the line, a caret), all of them.

examples:
  $ watc echo.wat -o echo.wasm
  $ watc echo.wat -O -o - | wascap sign - -o echo_s.wasm --name echo
  $ watc big.wasm -Oz --strip-debug --stats -o small.wasm
  $ watc echo.wasm --print

optimization: -O (same as -Os), -O0, -O1, -O2, -O3, -O4, -Os, -Oz, as wasm-opt.
exit codes: 0 success, 1 invalid module (diagnostics on stderr), 2 usage or input error.)";

struct WatcOptions {
  std::string input;
  std::string output;
  bool strip_debug = false;
  bool debug_names = false;
  bool print = false;
  bool stats = false;
  bool json = false;
  wascc::module_build::Options build;
};

// wasm-opt's -O, -O0..-O4, -Os, -Oz become --optimize=<level> before CLI11 sees them, so
// "-O in.wat" is not read as "-O with the value in.wat".
std::vector<std::string> rewrite_optimize_flags(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {  // CLI11 wants them in reverse
    std::string arg = argv[i];
    if (arg.rfind("-O", 0) == 0 && arg.size() <= 3) arg = "--optimize=" + arg.substr(2);
    args.push_back(arg);
  }
  return args;
}

// As wat2wasm: "x.wat" gives "x.wasm"; stdin and --print go to stdout. A binary input with no
// -o is only checked (as wasm-opt does), never overwritten.
std::string default_output(const WatcOptions& options, bool binary_input) {
  if (options.input == "-" || options.print) return "-";
  if (binary_input) return "";
  return std::filesystem::path(options.input).replace_extension(".wasm").string();
}

int run(WatcOptions& options) {
  auto input = wascc::InputFile::open(options.input);
  if (!input) {
    wascc::tools::print_error("watc", input.error().message);
    return wascc::tools::kExitUsage;
  }
  const std::string name = options.input == "-" ? "<stdin>" : options.input;
  wascc::tools::watc::exit_cleanly_if_parser_aborts(name);
  options.build.strip_debug = options.strip_debug;
  options.build.debug_names = options.debug_names;
  options.build.print_text = options.print;
  auto built = wascc::module_build::build(input->bytes(), name, options.build);
  if (!built) {
    std::cerr << built.error().message << '\n';
    return wascc::tools::exit_code_for(built.error());
  }
  const std::string output =
      options.output.empty() ? default_output(options, wascc::wat::looks_binary(input->bytes())) : options.output;
  if (auto written = output.empty() ? wascc::ok_status() : wascc::write_file_atomically(output, built->bytes);
      !written) {
    wascc::tools::print_error("watc", written.error().message);
    return wascc::tools::kExitUsage;
  }
  if (options.json) {
    // The report goes to stdout unless the module itself does.
    wascc::jwt::Json steps = wascc::jwt::Json::array();
    for (const auto& step : built->steps) steps.push_back({{"step", step.name}, {"bytes", step.size}});
    wascc::jwt::Json report = {{"input", options.input}, {"output", output.empty() ? "" : output}, {"steps", steps}};
    (output == "-" ? std::cerr : std::cout) << wascc::json::dump(report, 2) << '\n';
  } else if (options.stats) {
    size_t previous = 0;
    for (const auto& step : built->steps) {
      std::cerr << "watc: " << step.name << ": " << step.size << " bytes";
      if (previous != 0 && step.name != "compiled" && step.name != "printed") {
        std::cerr << " (" << (step.size >= previous ? "+" : "-")
                  << (step.size >= previous ? step.size - previous : previous - step.size) << ")";
      }
      std::cerr << '\n';
      previous = step.size;
    }
  }
  return wascc::tools::kExitSuccess;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app(kDescription, "watc");
  app.set_version_flag("--version", "watc 0.1.0");
  WatcOptions options;
  std::string optimize_flag;
  bool optimize_given = false;
  app.add_option("input", options.input, "WAT text or wasm binary (- for stdin)")->required();
  app.add_option("-o,--output", options.output,
                 "Output (- for stdout; default: IN with .wasm for text, stdout with --print,\n"
                 "nothing for a binary IN, which is then only checked)");
  app.add_option_function<std::string>(
         "--optimize",
         [&](const std::string& level) {
           optimize_flag = level;
           optimize_given = true;
         },
         "Optimization level as -O<level>: (empty), 0-4, s, z")
      ->expected(0, 1);
  app.add_flag("--strip-debug", options.strip_debug, "Drop name, producers and DWARF sections");
  app.add_flag("-g,--debug-names", options.debug_names, "Keep the name section through -O (as wasm-opt -g)");
  app.add_flag("--print", options.print, "Write the module as WAT (a disassembly for .wasm input)");
  app.add_flag("--stats", options.stats, "Print the size after each step to stderr");
  app.add_flag("--json", options.json, "Report the steps and sizes as JSON (stdout, or stderr when OUT is -)");
  auto* features = app.add_option_group("features", "WebAssembly proposals, as WABT's own flags");
  features->add_flag_callback(
      "--enable-all", [&] { options.build.features.enable_all = true; }, "Enable every feature");
  for (const auto& feature : wascc::wasm_features::known_features()) {
    std::string name = feature.name;
    features->add_flag_callback(
        "--enable-" + name, [&options, name] { options.build.features.overrides[name] = true; },
        feature.help + (feature.enabled_by_default ? " (default on)" : ""));
    features
        ->add_flag_callback(
            "--disable-" + name, [&options, name] { options.build.features.overrides[name] = false; }, "")
        ->group("");
  }
  try {
    app.parse(rewrite_optimize_flags(argc, argv));
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return app.exit(error);
    std::cerr << "watc: error: " << error.what() << "\nRun with --help for more information.\n";
    return wascc::tools::kExitUsage;
  }
  if (optimize_given) {
    auto level = wascc::optimizer::parse_level(optimize_flag);
    if (!level) {
      wascc::tools::print_error("watc", level.error().message);
      return wascc::tools::kExitUsage;
    }
    options.build.optimize = *level;
  }
  return wascc::tools::finish_output(run(options));
}
