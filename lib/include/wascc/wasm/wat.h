// The text format: WAT to a wasm binary, binaries checked by WABT's validator, and binaries
// written back as WAT. WABT runs in-process (libwabt); diagnostics are WABT's own format:
// "file:line:col: error: message", the source line and a caret, every error of the run.
#pragma once

#include <string>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/wasm/wasm_features.h"

namespace wascc::wat {

// On failure the error (kind Invalid) carries every diagnostic, formatted, one or more lines.
Result<Bytes> compile(ByteView text, const std::string& filename, const wasm_features::FeatureSet& features);

// Reads and validates a binary; the error carries WABT's diagnostics with byte offsets.
Status validate_binary(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features);

// The module as WAT (a disassembly for binaries; names from a "name" section are kept).
Result<std::string> to_text(ByteView wasm, const std::string& filename, const wasm_features::FeatureSet& features);

// True when the bytes start with the wasm magic.
bool looks_binary(ByteView bytes);

}  // namespace wascc::wat
