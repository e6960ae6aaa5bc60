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
Result<Bytes> compile(ByteView text, const std::string& filename,
                      const wasm_features::FeatureSet& features);

// Reads and validates a binary; the error carries WABT's diagnostics with byte offsets.
Status validate_binary(ByteView wasm, const std::string& filename,
                       const wasm_features::FeatureSet& features);

// The module as WAT (a disassembly for binaries; names from a "name" section are kept).
Result<std::string> to_text(ByteView wasm, const std::string& filename,
                            const wasm_features::FeatureSet& features);

// True when the bytes start with the wasm magic.
bool looks_binary(ByteView bytes);

// WABT 1.0.32's WAT parser can abort() on some malformed inputs (fixed upstream in 1.0.36).
// Installs a SIGABRT handler that prints one line naming the file and exits with status 2,
// so a tool never dies with a core dump and never leaves a partial output (outputs are only
// written by a final rename). Call once, in a tool's main, before parsing untrusted text.
void exit_cleanly_if_parser_aborts(const std::string& tool, const std::string& input_name);

}  // namespace wascc::wat
