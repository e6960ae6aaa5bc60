// wascap push REF FILE / wascap pull REF -o FILE: signed modules in an OCI registry, as `wash reg
// push/pull` store them. Both verify the claims first: nothing unsigned or invalid goes up, and
// nothing is written that would not verify.
#include <iostream>
#include <memory>

#include "wascap/subcommands.h"
#include "common/environment.h"
#include "wascc/base/unix_time.h"
#include "wascc/runner/oci_registry.h"
#include "wascc/wascap/module_verification.h"

namespace wascc::tools::wascap {
namespace {

struct RegistryOptions {
  std::string reference;
  std::string file;
  std::string output;
  bool insecure = false;
  bool json = false;
  std::vector<std::string> issuers;
};

// The claims' verdict on `bytes`: exit 0 when valid, else the failed checks on stderr and 1.
int verify_claims(const std::string& what, ByteView bytes, const std::vector<std::string>& issuers) {
  auto now = environment::now();
  if (!now) {
    print_error("wascap", now.error().message);
    return kExitUsage;
  }
  module_verification::Policy policy;
  policy.allowed_issuers = issuers;
  policy.now = *now;
  auto report = module_verification::verify_module(bytes, policy);
  if (!report) {
    print_error("wascap", what, report.error());
    return exit_code_for(report.error());
  }
  if (report->valid()) return kExitSuccess;
  for (const auto& check : report->checks) {
    if (check.status == module_verification::CheckStatus::Failed) {
      std::cerr << what << ": error: " << check.name << ": " << check.message << '\n';
    }
  }
  return kExitFailure;
}

int run_push(const RegistryOptions& options) {
  auto reference = oci_registry::parse_reference(options.reference);
  if (!reference) {
    print_error("wascap", reference.error().message);
    return kExitUsage;
  }
  auto module = InputFile::open(options.file, {.magic = kWasmMagic});
  if (!module) {
    print_error("wascap", module.error().message);
    return kExitUsage;
  }
  if (int verdict = verify_claims(options.file, module->bytes(), options.issuers); verdict != kExitSuccess)
    return verdict;
  auto pushed = oci_registry::push(*reference, module->bytes(), {.insecure = options.insecure});
  if (!pushed) {
    print_error("wascap", pushed.error().message);
    return pushed.error().kind == ErrorKind::Input ? kExitUsage : kExitFailure;
  }
  if (options.json) {
    print_json(
        {{"reference", reference->text()}, {"digest", pushed->manifest_digest}, {"layer", pushed->layer_digest}});
  } else {
    std::cout << "pushed " << options.file << " to " << reference->text() << " (" << pushed->manifest_digest << ")\n";
  }
  return finish_output(kExitSuccess);
}

int run_pull(const RegistryOptions& options) {
  auto reference = oci_registry::parse_reference(options.reference);
  if (!reference) {
    print_error("wascap", reference.error().message);
    return kExitUsage;
  }
  auto module = oci_registry::pull(*reference, {.insecure = options.insecure});
  if (!module) {
    print_error("wascap", module.error().message);
    return module.error().kind == ErrorKind::Input ? kExitUsage : kExitFailure;
  }
  if (int verdict = verify_claims(reference->text(), *module, options.issuers); verdict != kExitSuccess) return verdict;
  std::string output = options.output;
  if (output.empty()) output = reference->repository.substr(reference->repository.rfind('/') + 1) + ".wasm";
  if (auto written = write_file_atomically(output, *module); !written) {
    print_error("wascap", written.error().message);
    return kExitUsage;
  }
  if (output != "-")
    std::cerr << "pulled " << reference->text() << " to " << output << " (" << module->size() << " bytes)\n";
  return kExitSuccess;
}

void add_common(CLI::App& command, RegistryOptions& options) {
  command.add_flag("--insecure", options.insecure, "Use http:// for a registry that is not on loopback");
  add_repeatable_option(command, "--issuer,--allow-issuer", options.issuers,
                        "Accept only modules signed by KEY (repeatable)");
}

}  // namespace

Subcommand setup_push(CLI::App* push) {
  auto options = std::make_shared<RegistryOptions>();
  push->add_option("reference", options->reference, "REGISTRY/REPOSITORY[:TAG], e.g. localhost:5000/echo:0.1.0")
      ->required();
  push->add_option("file", options->file, "The signed module (- for stdin)")->required();
  push->add_flag("--json", options->json, "Print {reference, digest, layer}");
  add_common(*push, *options);
  return {push, [options] { return run_push(*options); }};
}

Subcommand setup_pull(CLI::App* pull) {
  auto options = std::make_shared<RegistryOptions>();
  pull->add_option("reference", options->reference, "REGISTRY/REPOSITORY[:TAG|@sha256:DIGEST]")->required();
  pull->add_option("-o,--output", options->output, "Where to write it (- for stdout; default REPOSITORY.wasm)");
  add_common(*pull, *options);
  return {pull, [options] { return run_pull(*options); }};
}

}  // namespace wascc::tools::wascap
