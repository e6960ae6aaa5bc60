// WAT from outside, as `watc` compiles it, and the text of the binary it makes.
//
// Debian's WABT 1.0.32 keeps its assert()s, and a few malformed inputs reach one (the
// pitfalls note, item 2): `watc` turns that abort into a one-line error. Here an abort inside
// the parser returns to the target instead (siglongjmp; the parser's memory leaks, so leak
// detection is off for this target), and is counted: the fuzzer hunts for everything else.
// An uncaught C++ exception is not WABT's assert: it traps and is reported as a crash.
#include <csetjmp>
#include <csignal>
#include <cstdio>
#include <exception>

#include "fuzz_input.h"
#include "wascc/wasm/wat.h"

using namespace wascc;

namespace {
sigjmp_buf g_return_point;
volatile sig_atomic_t g_in_parser = 0;
unsigned long g_parser_aborts = 0;

extern "C" void on_abort(int) {
  if (g_in_parser) siglongjmp(g_return_point, 1);
  signal(SIGABRT, SIG_DFL);
  raise(SIGABRT);
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::set_terminate([] { __builtin_trap(); });
  struct sigaction action {};
  action.sa_handler = on_abort;
  sigemptyset(&action.sa_mask);
  sigaction(SIGABRT, &action, nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256u << 10) return -1;
  const wasm_features::FeatureSet features;
  if (sigsetjmp(g_return_point, 1) != 0) {
    g_in_parser = 0;
    if (++g_parser_aborts % 100 == 1)
      std::fprintf(stderr, "wat fuzz: %lu known WABT parser aborts so far\n", g_parser_aborts);
    return 0;
  }
  g_in_parser = 1;
  auto wasm = wat::compile(fuzz::bytes(data, size), "fuzz.wat", features);
  if (wasm) (void)wat::to_text(*wasm, "fuzz.wasm", features);
  g_in_parser = 0;
  return 0;
}
