// The part of WASI preview1 that real waPC guests import (Rust wasm32-wasip1, TinyGo), for
// both module names `wasi_snapshot_preview1` and `wasi_unstable`: stdout and stderr go to a
// log sink, no file system, no preopened directories, no arguments or environment; random
// bytes and clocks are real; proc_exit ends the call. Any other WASI function a module
// imports links to a stub that returns ENOSYS. Plus AssemblyScript's env.abort.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "wascc/engine/engine.h"

namespace wascc::wasi_preview1 {

enum class Stream { Stdout, Stderr };
using OutputSink = std::function<void(Stream stream, std::string_view text)>;

// Host functions for every WASI (and env.abort) import of `imports`.
std::vector<engine::HostFunction> host_functions(const std::vector<engine::FunctionImport>& imports, OutputSink output);

// Decodes an AssemblyScript string (UTF-16LE, byte length at pointer - 4) to UTF-8.
std::string read_assemblyscript_string(engine::GuestMemory& memory, uint32_t pointer);

}  // namespace wascc::wasi_preview1
