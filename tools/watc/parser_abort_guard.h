// WABT 1.0.32's WAT parser can abort() on some malformed inputs (fixed upstream in 1.0.36; see
// tests/data/regress/wabt-1.0.32-parser-abort.wat). The tool, not the library, decides what an
// abort means for its process: watc installs a SIGABRT handler that prints one line naming the
// file and exits with status 2, so it never dies with a core dump and never leaves a partial
// output (outputs are only written by a final rename). A library embedder keeps its own
// SIGABRT disposition.
#pragma once

#include <string>

namespace wascc::tools::watc {

// Call once, before parsing untrusted text.
void exit_cleanly_if_parser_aborts(const std::string& input_name);

}  // namespace wascc::tools::watc
