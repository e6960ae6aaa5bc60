#include "wascc/wapc/guest_launch.h"

#include "wascc/engine/aot_engine.h"
#include "wascc/engine/interp_engine.h"
#include "wascc/wascap/module_verification.h"
#include "wascc/wapc/process_host_handler.h"
#include "wascc/base/unix_time.h"

namespace wascc::guest_launch {

std::vector<std::string> engine_names() { return {"interp", "aot"}; }

std::string resolve_auto_engine(ByteView wasm, uint64_t expected_calls, const aot_engine::Toolchain& toolchain) {
  if (aot_engine::is_cached(wasm, {}, toolchain) || expected_calls >= kAutoCompileAfterCalls) return "aot";
  return "interp";
}

Result<std::unique_ptr<engine::Engine>> create_engine(std::string_view name, const aot_engine::Toolchain& toolchain) {
  if (name == "interp") return interp_engine::create();
  if (name == "aot") return aot_engine::create({}, toolchain);
  return input_error("unknown engine \"" + std::string(name) + "\": use interp or aot");
}

namespace {

Status check_claims(ByteView bytes, const Options& options) {
  module_verification::Policy policy;
  policy.allowed_issuers = options.allowed_issuers;
  policy.now = options.now != 0 ? options.now : unix_time::now();
  auto report = module_verification::verify_module(bytes, policy);
  if (!report) return report.error();
  if (report->valid()) return ok_status();
  std::string reasons;
  for (const auto& check : report->checks) {
    if (check.status != module_verification::CheckStatus::Failed) continue;
    reasons += (reasons.empty() ? "" : "; ") + check.name + ": " + check.message;
  }
  return invalid_error(options.module_path + ": refused: " + reasons);
}

}  // namespace

Result<LaunchedGuest> launch(const Options& options) {
  auto input = InputFile::open(options.module_path, {.magic = kWasmMagic});
  if (!input) return input.error();
  const std::string engine_name = options.engine == "auto"
                                      ? resolve_auto_engine(input->bytes(), options.expected_calls, options.toolchain)
                                      : options.engine;
  auto engine = create_engine(engine_name, options.toolchain);
  if (!engine) return engine.error();
  if (options.require_signed || !options.allowed_issuers.empty()) {
    if (auto claims = check_claims(input->bytes(), options); !claims) return claims.error();
  }
  wapc::Options host_options;
  host_options.limits = options.limits;
  host_options.log = options.log;
  if (options.host_handler_command) {
    host_options.host_call = process_host_handler::make(*options.host_handler_command);
  } else {
    host_options.host_call = [](const wapc::HostCall& call) -> Result<Bytes> {
      return input_error("host call " + call.namespace_ + "/" + call.operation +
                         " not handled: run with --host-handler CMD to answer host calls");
    };
  }
  const std::string name = options.module_path == "-" ? "<stdin>" : options.module_path;
  auto host = wapc::Host::load(**engine, input->bytes(), name, std::move(host_options));
  if (!host) return host.error();
  return LaunchedGuest{std::move(engine.value()), std::move(host.value())};
}

}  // namespace wascc::guest_launch
