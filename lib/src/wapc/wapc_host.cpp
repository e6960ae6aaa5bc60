#include "wascc/wapc/wapc_host.h"

#include "wascc/base/utf8.h"
#include "wascc/wapc/wasi_preview1.h"

namespace wascc::wapc {
namespace {

using engine::HostContext;
using engine::HostFunction;
using engine::Trap;
using engine::TrapKind;
using engine::ValueType;
using Args = std::span<const uint64_t>;
using Results = std::span<uint64_t>;

constexpr ValueType I32 = ValueType::I32;

// Host calls nested on this thread (a host call that runs another guest that calls the host).
thread_local uint32_t t_host_call_depth = 0;

uint32_t u32(uint64_t value) { return static_cast<uint32_t>(value); }

Trap refuse(std::string message) { return Trap{TrapKind::Host, std::move(message), {}, 0}; }

}  // namespace

std::string_view failure_kind_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::GuestError: return "guest error";
    case FailureKind::Trap: return "trap";
    case FailureKind::HostRefused: return "host refused";
    case FailureKind::Limit: return "limit";
    case FailureKind::Exit: return "exit";
    case FailureKind::Unavailable: return "unavailable";
  }
  return "failure";
}

struct Host::State {
  Options options;
  std::string filename;
  std::shared_ptr<engine::LoadedModule> module;
  std::unique_ptr<engine::Instance> instance;
  std::vector<HostFunction> imports;

  // Per-call slots, all cleared before every call.
  std::string operation;
  ByteView request;  // the caller's payload, valid for the duration of the call
  std::optional<Bytes> response;
  std::optional<std::string> guest_error;
  std::optional<Bytes> host_response;
  std::optional<std::string> host_error;

  void clear_call_state() {
    response.reset();
    guest_error.reset();
    host_response.reset();
    host_error.reset();
  }

  void log(LogSource source, std::string_view text) const {
    if (options.log) options.log(source, text);
  }

  std::vector<HostFunction> wapc_functions();
  std::optional<Trap> host_call(HostContext& context, Args args, Results results);
  Result<Unit> instantiate_and_init();
  // The imports every instance links: waPC's functions and WASI's, bound to this state.
  void link_imports();
};

std::vector<HostFunction> Host::State::wapc_functions() {
  auto read = [](HostContext& context, uint64_t pointer, uint64_t length, const char* what) -> Result<ByteView> {
    if (!context.memory) return input_error(std::string(what) + ": the guest exports no memory");
    return context.memory->read(u32(pointer), u32(length), what);
  };
  auto write = [](HostContext& context, uint64_t pointer, ByteView bytes, const char* what) -> std::optional<Trap> {
    if (!context.memory) return refuse(std::string(what) + ": the guest exports no memory");
    auto written = context.memory->write(u32(pointer), bytes, what);
    if (!written) return refuse(written.error().message);
    return std::nullopt;
  };
  return {
      {"wapc",
       "__guest_request",
       {{I32, I32}, {}},
       [this, write](HostContext& context, Args args, Results) -> std::optional<Trap> {
         if (auto trap = write(context, args[0], as_bytes(operation), "__guest_request operation")) return trap;
         return write(context, args[1], request, "__guest_request payload");
       }},
      {"wapc",
       "__guest_response",
       {{I32, I32}, {}},
       [this, read](HostContext& context, Args args, Results) -> std::optional<Trap> {
         auto bytes = read(context, args[0], args[1], "__guest_response");
         if (!bytes) return refuse(bytes.error().message);
         response = Bytes(bytes->begin(), bytes->end());
         return std::nullopt;
       }},
      {"wapc",
       "__guest_error",
       {{I32, I32}, {}},
       [this, read](HostContext& context, Args args, Results) -> std::optional<Trap> {
         auto bytes = read(context, args[0], args[1], "__guest_error");
         if (!bytes) return refuse(bytes.error().message);
         guest_error = std::string(as_text(*bytes));
         return std::nullopt;
       }},
      {"wapc",
       "__host_call",
       {{I32, I32, I32, I32, I32, I32, I32, I32}, {I32}},
       [this](HostContext& context, Args args, Results results) { return host_call(context, args, results); }},
      {"wapc",
       "__host_response_len",
       {{}, {I32}},
       [this](HostContext&, Args, Results results) -> std::optional<Trap> {
         results[0] = host_response ? host_response->size() : 0;
         return std::nullopt;
       }},
      {"wapc",
       "__host_response",
       {{I32}, {}},
       [this, write](HostContext& context, Args args, Results) -> std::optional<Trap> {
         if (!host_response) return std::nullopt;
         return write(context, args[0], *host_response, "__host_response");
       }},
      {"wapc",
       "__host_error_len",
       {{}, {I32}},
       [this](HostContext&, Args, Results results) -> std::optional<Trap> {
         results[0] = host_error ? host_error->size() : 0;  // UTF-8 bytes, as written
         return std::nullopt;
       }},
      {"wapc",
       "__host_error",
       {{I32}, {}},
       [this, write](HostContext& context, Args args, Results) -> std::optional<Trap> {
         if (!host_error) return std::nullopt;
         return write(context, args[0], as_bytes(*host_error), "__host_error");
       }},
      {"wapc",
       "__console_log",
       {{I32, I32}, {}},
       [this, read](HostContext& context, Args args, Results) -> std::optional<Trap> {
         auto bytes = read(context, args[0], args[1], "__console_log");
         if (!bytes) return refuse(bytes.error().message);
         log(LogSource::ConsoleLog, as_text(*bytes));
         return std::nullopt;
       }},
  };
}

std::optional<Trap> Host::State::host_call(HostContext& context, Args args, Results results) {
  if (!context.memory) return refuse("__host_call: the guest exports no memory");
  const char* const kParts[] = {"__host_call binding", "__host_call namespace", "__host_call operation",
                                "__host_call payload"};
  ByteView parts[4];
  for (int i = 0; i < 4; ++i) {
    auto bytes = context.memory->read(u32(args[2 * i]), u32(args[2 * i + 1]), kParts[i]);
    if (!bytes) return refuse(bytes.error().message);
    if (i < 3 && !utf8::is_valid(*bytes)) return refuse(std::string(kParts[i]) + " is not UTF-8");
    parts[i] = *bytes;
  }
  host_response.reset();
  host_error.reset();
  const auto& limits = options.limits;
  if (t_host_call_depth >= limits.max_host_call_depth) {
    return Trap{TrapKind::Limit, limits::limit_message(limits::LimitKind::HostCallDepth, limits),
                limits::LimitKind::HostCallDepth, 0};
  }
  // The handler may run other guests: copy the payload out of this guest's memory first.
  Bytes payload(parts[3].begin(), parts[3].end());
  HostCall call{std::string(as_text(parts[0])), std::string(as_text(parts[1])), std::string(as_text(parts[2])), payload,
                context.deadline};
  if (!options.host_call) {
    host_error = "no host call handler: cannot answer " + call.namespace_ + "/" + call.operation;
    results[0] = 0;
    return std::nullopt;
  }
  ++t_host_call_depth;
  Result<Bytes> answer = input_error("host call handler failed");
  try {
    answer = options.host_call(call);
  } catch (const std::exception& error) {
    answer = input_error(std::string("host call handler failed: ") + error.what());
  }
  --t_host_call_depth;
  // The deadline covers host calls: a handler that overran it ends the guest's call, whatever
  // the guest would make of the answer.
  if (std::chrono::steady_clock::now() > context.deadline) {
    return Trap{TrapKind::Limit, limits::limit_message(limits::LimitKind::Deadline, limits),
                limits::LimitKind::Deadline, 0};
  }
  if (answer) {
    host_response = std::move(answer.value());
    results[0] = 1;
  } else {
    host_error = answer.error().message;
    results[0] = 0;
  }
  return std::nullopt;
}

Result<Unit> Host::State::instantiate_and_init() {
  instance.reset();
  auto created = module->instantiate(imports, options.limits);
  auto describe = [&](const Trap& trap) {
    return filename + ": " + (trap.kind == TrapKind::Host ? "cannot link: " : "initialization failed: ") + trap.message;
  };
  if (!created) {
    return invalid_error(describe(created.error()));
  }
  instance = std::move(created.value());
  for (const char* init : {"_start", "_initialize", "wapc_init"}) {
    if (!instance->has_function(init)) continue;
    clear_call_state();
    auto outcome = instance->call(init, {}, options.limits);
    if (!outcome.trap) continue;
    if (outcome.trap->kind == TrapKind::Exit && outcome.trap->exit_code == 0) continue;  // TinyGo's _start
    instance.reset();
    return invalid_error(filename + ": initialization failed in " + init + ": " + outcome.trap->message);
  }
  return Unit{};
}

Host::Host(std::unique_ptr<State> state) : state_(std::move(state)) {}
Host::~Host() = default;

Result<std::unique_ptr<Host>> Host::load(engine::Engine& engine, ByteView wasm, const std::string& filename,
                                         Options options) {
  auto state = std::make_unique<State>();
  state->options = std::move(options);
  state->filename = filename;
  auto module = engine.load(wasm, filename);
  if (!module) return input_error(module.error().message);
  state->module = std::move(module.value());
  if (!state->module->exports_function("__guest_call")) {
    return input_error(filename + ": not a waPC guest: it does not export __guest_call");
  }
  if (!state->module->exports_memory("memory")) {
    return input_error(filename + ": not a waPC guest: it does not export its memory as \"memory\"");
  }
  state->link_imports();
  auto ready = state->instantiate_and_init();
  if (!ready) return ready.error();
  return std::unique_ptr<Host>(new Host(std::move(state)));
}

Result<std::unique_ptr<Host>> Host::another_instance() const {
  auto state = std::make_unique<State>();
  state->options = state_->options;
  state->filename = state_->filename;
  state->module = state_->module;
  state->link_imports();
  auto ready = state->instantiate_and_init();
  if (!ready) return ready.error();
  return std::unique_ptr<Host>(new Host(std::move(state)));
}

void Host::State::link_imports() {
  State* raw = this;
  imports = wapc_functions();
  auto wasi = wasi_preview1::host_functions(
      module->function_imports(), [raw](wasi_preview1::Stream stream, std::string_view text) {
        raw->log(stream == wasi_preview1::Stream::Stdout ? LogSource::Stdout : LogSource::Stderr, text);
      });
  imports.insert(imports.end(), wasi.begin(), wasi.end());
}

Result<Bytes, CallFailure> Host::call(std::string_view operation, ByteView payload) {
  State& state = *state_;
  if (!state.instance) {
    auto ready = state.instantiate_and_init();
    if (!ready) return CallFailure{FailureKind::Trap, ready.error().message, {}};
  }
  state.clear_call_state();
  state.operation = std::string(operation);
  state.request = payload;
  if (operation.size() > UINT32_MAX || payload.size() > UINT32_MAX) {
    return CallFailure{FailureKind::HostRefused, "operation or payload larger than 4 GiB", {}};
  }
  const uint64_t args[2] = {operation.size(), payload.size()};
  auto outcome = state.instance->call("__guest_call", args, state.options.limits);
  state.request = {};
  if (outcome.trap) {
    // The instance's state is suspect after a trap: start the next call from a fresh one.
    state.instance.reset();
    const Trap& trap = *outcome.trap;
    switch (trap.kind) {
      case TrapKind::Limit: return CallFailure{FailureKind::Limit, trap.message, trap.limit};
      case TrapKind::Host: return CallFailure{FailureKind::HostRefused, trap.message, {}};
      case TrapKind::Exit: return CallFailure{FailureKind::Exit, trap.message, {}};
      case TrapKind::Guest: break;
    }
    std::string message = "wasm trap: " + trap.message;
    if (state.guest_error) message += "; guest error: " + *state.guest_error;
    return CallFailure{FailureKind::Trap, message, {}};
  }
  const bool succeeded = !outcome.results.empty() && static_cast<uint32_t>(outcome.results[0]) != 0;
  if (!succeeded) {
    return CallFailure{
        FailureKind::GuestError, state.guest_error.value_or("guest call failed without an error message"), {}};
  }
  if (state.response) return std::move(*state.response);
  if (state.guest_error) return CallFailure{FailureKind::GuestError, *state.guest_error, {}};
  return Bytes{};  // success without __guest_response: an empty reply, never a stale one
}

}  // namespace wascc::wapc
