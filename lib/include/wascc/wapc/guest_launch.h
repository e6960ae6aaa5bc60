// Everything a tool needs to run a waPC guest: pick an engine by name, optionally require
// valid signed claims first, wire the host-call handler and the log, and load the guest.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wascc/engine/aot_engine.h"
#include "wascc/engine/engine.h"
#include "wascc/wapc/wapc_host.h"

namespace wascc::guest_launch {

// "interp" (WABT's interpreter) or "aot" (native code through wasm2c, cached).
Result<std::unique_ptr<engine::Engine>> create_engine(std::string_view name,
                                                      const aot_engine::Toolchain& toolchain = {});
std::vector<std::string> engine_names();

// What "auto" picks, from measurements on this project's machines (README, "Engines"): a
// cached native artifact always (it starts in ~4 ms, an interpreted 2 MB module in ~450 ms);
// otherwise native code only when `expected_calls` can repay the compile (150-300 ms for a
// small guest, ~5 s for 2 MB, against native code 100-400x faster than the interpreter).
inline constexpr uint64_t kAutoCompileAfterCalls = 1000;
std::string resolve_auto_engine(ByteView wasm, uint64_t expected_calls, const aot_engine::Toolchain& toolchain = {});

struct Options {
  std::string module_path;  // "-" reads stdin
  std::string engine = "auto";
  uint64_t expected_calls = 1;  // for "auto"
  limits::Limits limits;
  std::optional<std::string> host_handler_command;
  bool require_signed = false;
  std::vector<std::string> allowed_issuers;  // implies require_signed
  uint64_t now = 0;                          // for exp/nbf (0: the clock)
  aot_engine::Toolchain toolchain;
  wapc::LogSink log;
};

struct LaunchedGuest {
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<wapc::Host> host;
};

// Errors of kind Invalid: the claims were refused or the guest failed to initialise (exit 1
// in tools); other kinds: unreadable, malformed or not a waPC guest (exit 2).
Result<LaunchedGuest> launch(const Options& options);

}  // namespace wascc::guest_launch
