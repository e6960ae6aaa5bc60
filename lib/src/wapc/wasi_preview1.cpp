#include "wascc/wapc/wasi_preview1.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "wascc/engine/limits.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::wasi_preview1 {
namespace {

using engine::HostContext;
using engine::HostFunction;
using engine::Signature;
using engine::Trap;
using engine::TrapKind;
using engine::ValueType;

constexpr uint64_t kSuccess = 0;
constexpr uint64_t kBadFileDescriptor = 8;
constexpr uint64_t kFault = 21;
constexpr uint64_t kInvalid = 28;
constexpr uint64_t kNotImplemented = 52;
constexpr uint64_t kIllegalSeek = 70;

constexpr ValueType I32 = ValueType::I32;
constexpr ValueType I64 = ValueType::I64;

bool is_wasi_module(std::string_view module) { return module == "wasi_snapshot_preview1" || module == "wasi_unstable"; }

using Args = std::span<const uint64_t>;
using Results = std::span<uint64_t>;
using Implementation = std::function<std::optional<Trap>(HostContext&, Args, Results)>;

uint32_t u32(uint64_t value) { return static_cast<uint32_t>(value); }

bool store_u32(HostContext& context, uint32_t pointer, uint32_t value) {
  uint8_t bytes[4];
  std::memcpy(bytes, &value, 4);  // wasm is little-endian, as is every host this builds on
  return context.memory && context.memory->write(pointer, bytes, "wasi").ok();
}

bool store_u64(HostContext& context, uint32_t pointer, uint64_t value) {
  uint8_t bytes[8];
  std::memcpy(bytes, &value, 8);
  return context.memory && context.memory->write(pointer, bytes, "wasi").ok();
}

std::optional<Trap> returns(uint64_t errno_value, Results results) {
  results[0] = errno_value;
  return std::nullopt;
}

// (errno) = fd_write(fd, iovs, iovs_len, nwritten)
std::optional<Trap> fd_write(const OutputSink& output, HostContext& context, Args args, Results results) {
  const uint32_t fd = u32(args[0]);
  if (fd != 1 && fd != 2) {
    results[0] = kBadFileDescriptor;
    return std::nullopt;
  }
  if (!context.memory) {
    results[0] = kFault;
    return std::nullopt;
  }
  uint32_t written = 0;
  std::string text;
  for (uint32_t i = 0; i < u32(args[2]); ++i) {
    auto iov = context.memory->read(u32(args[1]) + 8 * i, 8, "fd_write iovec");
    if (!iov) {
      results[0] = kFault;
      return std::nullopt;
    }
    uint32_t pointer, length;
    std::memcpy(&pointer, iov->data(), 4);
    std::memcpy(&length, iov->data() + 4, 4);
    auto data = context.memory->read(pointer, length, "fd_write buffer");
    if (!data) {
      results[0] = kFault;
      return std::nullopt;
    }
    text.append(as_text(*data));
    written += length;
  }
  if (output) output(fd == 1 ? Stream::Stdout : Stream::Stderr, text);
  results[0] = store_u32(context, u32(args[3]), written) ? kSuccess : kFault;
  return std::nullopt;
}

// Nanoseconds on WASI clock `clock` (0 realtime; 1 monotonic, 2 and 3 the CPU-time clocks,
// answered with the monotonic clock), or nullopt for an unknown clock.
std::optional<uint64_t> clock_now(uint32_t clock) {
  if (clock == 0) {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
  }
  if (clock <= 3) {
    return static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count());
  }
  return std::nullopt;
}

std::optional<Trap> clock_time_get(HostContext& context, Args args, Results results) {
  const auto nanoseconds = clock_now(u32(args[0]));
  if (!nanoseconds) {
    results[0] = kInvalid;
    return std::nullopt;
  }
  results[0] = store_u64(context, u32(args[2]), *nanoseconds) ? kSuccess : kFault;
  return std::nullopt;
}

std::optional<Trap> random_get(HostContext& context, Args args, Results results) {
  nkeys::ensure_crypto_ready();
  Bytes random(u32(args[1]));
  randombytes_buf(random.data(), random.size());
  results[0] = context.memory && context.memory->write(u32(args[0]), random, "random_get").ok() ? kSuccess : kFault;
  return std::nullopt;
}

// Writes two zero u32s: no arguments, no environment, no sizes.
std::optional<Trap> zero_sizes(HostContext& context, Args args, Results results) {
  results[0] = store_u32(context, u32(args[0]), 0) && store_u32(context, u32(args[1]), 0) ? kSuccess : kFault;
  return std::nullopt;
}

std::optional<Trap> fd_fdstat_get(HostContext& context, Args args, Results results) {
  if (u32(args[0]) > 2) {
    results[0] = kBadFileDescriptor;
    return std::nullopt;
  }
  uint8_t stat[24] = {};
  stat[0] = 2;                                             // character device
  const uint64_t rights = u32(args[0]) == 0 ? 0x2 : 0x40;  // fd_read / fd_write
  std::memcpy(stat + 8, &rights, 8);
  results[0] = context.memory && context.memory->write(u32(args[1]), stat, "fd_fdstat_get").ok() ? kSuccess : kFault;
  return std::nullopt;
}

// (errno) = poll_oneoff(subscriptions, events, count, nevents). Clock subscriptions (relative,
// or absolute with flag 1) sleep until the earliest one is due, never past the call's
// deadline: a sleep that would outlast it ends the call there. fd subscriptions are ready at
// once (stdin is empty, stdout and stderr never block), and then nothing sleeps.
std::optional<Trap> poll_oneoff(HostContext& context, Args args, Results results) {
  constexpr uint32_t kSubscriptionSize = 48;
  constexpr uint32_t kEventSize = 32;
  const uint32_t count = u32(args[2]);
  if (count == 0) return returns(kInvalid, results);
  if (!context.memory || uint64_t{count} * kSubscriptionSize > UINT32_MAX) return returns(kFault, results);
  auto subscriptions = context.memory->read(u32(args[0]), count * kSubscriptionSize, "poll_oneoff subscriptions");
  if (!subscriptions) return returns(kFault, results);
  struct Due {
    uint64_t userdata;
    uint8_t type;
    std::chrono::steady_clock::time_point at;
  };
  std::vector<Due> due;
  bool any_fd = false;
  const auto now = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* subscription = subscriptions->data() + i * kSubscriptionSize;
    uint64_t userdata, timeout;
    uint32_t clock;
    uint16_t flags;
    std::memcpy(&userdata, subscription, 8);
    std::memcpy(&clock, subscription + 16, 4);
    std::memcpy(&timeout, subscription + 24, 8);
    std::memcpy(&flags, subscription + 40, 2);
    const uint8_t tag = subscription[8];
    if (tag != 0) {
      any_fd = true;
      due.push_back({userdata, tag, now});
      continue;
    }
    auto clock_reading = clock_now(clock);
    if (!clock_reading) return returns(kInvalid, results);
    uint64_t wait = timeout;
    if (flags & 1) wait = timeout > *clock_reading ? timeout - *clock_reading : 0;  // absolute
    const auto capped = std::min<uint64_t>(wait, uint64_t{365} * 24 * 3600 * 1'000'000'000);
    due.push_back({userdata, 0, now + std::chrono::nanoseconds(capped)});
  }
  auto wake = any_fd ? now : std::min_element(due.begin(), due.end(), [](auto& a, auto& b) { return a.at < b.at; })->at;
  if (wake > context.deadline) {
    std::this_thread::sleep_until(context.deadline);
    return Trap{TrapKind::Limit, limits::limit_message(limits::LimitKind::Deadline, {}), limits::LimitKind::Deadline,
                0};
  }
  std::this_thread::sleep_until(wake);
  uint32_t events = 0;
  for (const auto& entry : due) {
    if (entry.at > wake) continue;
    uint8_t event[kEventSize] = {};
    std::memcpy(event, &entry.userdata, 8);
    event[10] = entry.type;
    if (!context.memory->write(u32(args[1]) + events * kEventSize, event, "poll_oneoff events"))
      return returns(kFault, results);
    ++events;
  }
  return returns(store_u32(context, u32(args[3]), events) ? kSuccess : kFault, results);
}

struct Known {
  const char* name;
  Signature signature;
  std::function<std::optional<Trap>(const OutputSink&, HostContext&, Args, Results)> run;
};

const std::vector<Known>& known_functions() {
  static const std::vector<Known> kKnown = {
      {"fd_write", {{I32, I32, I32, I32}, {I32}}, fd_write},
      {"fd_read",
       {{I32, I32, I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) {  // stdin is empty
         if (u32(a[0]) != 0) return returns(kBadFileDescriptor, r);
         return returns(store_u32(c, u32(a[3]), 0) ? kSuccess : kFault, r);
       }},
      {"fd_close",
       {{I32}, {I32}},
       [](const OutputSink&, HostContext&, Args a, Results r) {
         return returns(u32(a[0]) <= 2 ? kSuccess : kBadFileDescriptor, r);
       }},
      {"fd_seek",
       {{I32, I64, I32, I32}, {I32}},
       [](const OutputSink&, HostContext&, Args a, Results r) {
         return returns(u32(a[0]) <= 2 ? kIllegalSeek : kBadFileDescriptor, r);
       }},
      {"fd_fdstat_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) { return fd_fdstat_get(c, a, r); }},
      {"fd_prestat_get",
       {{I32, I32}, {I32}},  // no preopened directories
       [](const OutputSink&, HostContext&, Args, Results r) { return returns(kBadFileDescriptor, r); }},
      {"fd_prestat_dir_name",
       {{I32, I32, I32}, {I32}},
       [](const OutputSink&, HostContext&, Args, Results r) { return returns(kBadFileDescriptor, r); }},
      {"random_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) { return random_get(c, a, r); }},
      {"clock_time_get",
       {{I32, I64, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) { return clock_time_get(c, a, r); }},
      {"poll_oneoff",
       {{I32, I32, I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) { return poll_oneoff(c, a, r); }},
      {"clock_res_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) {
         return returns(store_u64(c, u32(a[1]), 1) ? kSuccess : kFault, r);
       }},
      {"args_sizes_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) { return zero_sizes(c, a, r); }},
      {"environ_sizes_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext& c, Args a, Results r) { return zero_sizes(c, a, r); }},
      {"args_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext&, Args, Results r) { return returns(kSuccess, r); }},
      {"environ_get",
       {{I32, I32}, {I32}},
       [](const OutputSink&, HostContext&, Args, Results r) { return returns(kSuccess, r); }},
      {"sched_yield",
       {{}, {I32}},
       [](const OutputSink&, HostContext&, Args, Results r) { return returns(kSuccess, r); }},
      {"proc_exit",
       {{I32}, {}},
       [](const OutputSink&, HostContext&, Args a, Results) -> std::optional<Trap> {
         const int code = static_cast<int>(u32(a[0]));
         return Trap{TrapKind::Exit, "guest exited with code " + std::to_string(code), {}, code};
       }},
  };
  return kKnown;
}

}  // namespace

std::string read_assemblyscript_string(engine::GuestMemory& memory, uint32_t pointer) {
  if (pointer < 4) return "";
  auto header = memory.read(pointer - 4, 4, "string");
  if (!header) return "";
  uint32_t length;
  std::memcpy(&length, header->data(), 4);
  auto units = memory.read(pointer, std::min<uint32_t>(length, 4096) & ~1u, "string");
  if (!units) return "";
  std::string text;
  for (size_t i = 0; i + 1 < units->size(); i += 2) {
    uint32_t unit = (*units)[i] | ((*units)[i + 1] << 8);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < units->size()) {  // surrogate pair
      uint32_t low = (*units)[i + 2] | ((*units)[i + 3] << 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      }
    }
    if (unit < 0x80) {
      text.push_back(static_cast<char>(unit));
    } else if (unit < 0x800) {
      text.push_back(static_cast<char>(0xC0 | (unit >> 6)));
      text.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
    } else if (unit < 0x10000) {
      text.push_back(static_cast<char>(0xE0 | (unit >> 12)));
      text.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
      text.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
    } else {
      text.push_back(static_cast<char>(0xF0 | (unit >> 18)));
      text.push_back(static_cast<char>(0x80 | ((unit >> 12) & 0x3F)));
      text.push_back(static_cast<char>(0x80 | ((unit >> 6) & 0x3F)));
      text.push_back(static_cast<char>(0x80 | (unit & 0x3F)));
    }
  }
  return text;
}

std::vector<HostFunction> host_functions(const std::vector<engine::FunctionImport>& imports, OutputSink output) {
  std::vector<HostFunction> functions;
  for (const auto& import : imports) {
    if (import.module == "env" && import.name == "abort") {
      // AssemblyScript: abort(message, file, line, column), strings in its own layout.
      functions.push_back({"env",
                           "abort",
                           {{I32, I32, I32, I32}, {}},
                           [](HostContext& context, Args args, Results) -> std::optional<Trap> {
                             std::string message = "abort";
                             if (context.memory) {
                               message = read_assemblyscript_string(*context.memory, u32(args[0])) + " in " +
                                         read_assemblyscript_string(*context.memory, u32(args[1])) + "(" +
                                         std::to_string(u32(args[2])) + ":" + std::to_string(u32(args[3])) + ")";
                             }
                             return Trap{TrapKind::Guest, "abort: " + message, {}, 0};
                           }});
      continue;
    }
    if (!is_wasi_module(import.module)) continue;
    const Known* known = nullptr;
    for (const auto& candidate : known_functions()) {
      if (import.name == candidate.name) known = &candidate;
    }
    if (known != nullptr) {
      auto run = known->run;
      functions.push_back({import.module, import.name, known->signature,
                           [run, output](HostContext& context, Args args, Results results) {
                             return run(output, context, args, results);
                           }});
    } else {
      // Links, and answers ENOSYS: a guest that never calls it runs.
      functions.push_back({import.module, import.name, import.signature,
                           [](HostContext&, Args, Results results) -> std::optional<Trap> {
                             for (auto& result : results) result = kNotImplemented;
                             return std::nullopt;
                           }});
    }
  }
  return functions;
}

}  // namespace wascc::wasi_preview1
