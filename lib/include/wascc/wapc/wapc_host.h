// A waPC host on any engine: the nine `wapc` imports, a WASI preview1 subset and
// AssemblyScript's env.abort, the init sequence of the public hosts, and one guest call at a
// time with fresh per-call state. Neither side keeps pointers into the other's memory.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/engine/engine.h"
#include "wascc/engine/limits.h"
#include "wascc/base/result.h"

namespace wascc::wapc {

struct HostCall {
  std::string binding;  // "" is sent by some guests; hosts treat it as "default"
  std::string namespace_;
  std::string operation;
  ByteView payload;
  // The guest call's deadline: a handler that waits (a command, a network peer) gives up then.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// Answers a guest's host call: the reply bytes, or an error whose message is the host error
// the guest reads with __host_error.
using HostCallHandler = std::function<Result<Bytes>(const HostCall& call)>;

enum class LogSource { ConsoleLog, Stdout, Stderr };
using LogSink = std::function<void(LogSource source, std::string_view text)>;

enum class FailureKind {
  GuestError,   // the guest returned 0 (its __guest_error text is the message)
  Trap,         // the guest trapped (keeps the guest's error text when it set one)
  HostRefused,  // a host function refused the guest: a wild pointer, invalid UTF-8
  Limit,        // fuel, deadline, memory or host-call depth (see `limit`)
  Exit,         // WASI proc_exit during a call
  Unavailable,  // the host could not start the call: no instance came free within its timeout
};

struct CallFailure {
  FailureKind kind = FailureKind::GuestError;
  std::string message;
  std::optional<limits::LimitKind> limit;
};
std::string_view failure_kind_name(FailureKind kind);

struct Options {
  HostCallHandler host_call;  // unset: every host call fails with a clear host error
  LogSink log;                // unset: logs are dropped
  limits::Limits limits;
};

class Host {
 public:
  // Loads (validates, instruments) and instantiates `wasm`, then runs the start section,
  // `_start`, `_initialize` and `wapc_init` when exported (WASI proc_exit(0) is success).
  // Refuses a module without `__guest_call` or an exported `memory`.
  static Result<std::unique_ptr<Host>> load(engine::Engine& engine, ByteView wasm, const std::string& filename,
                                            Options options);
  ~Host();

  // A second, independent instance of the same loaded module (compiled once), with the same
  // options, initialized as load() does. Safe to call while another thread calls this one.
  Result<std::unique_ptr<Host>> another_instance() const;

  // One call. After a trap or a limit, the instance is re-created (its state is lost; the
  // host is not) before the next call.
  Result<Bytes, CallFailure> call(std::string_view operation, ByteView payload);

 private:
  struct State;
  explicit Host(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace wascc::wapc
