#include "watc/parser_abort_guard.h"

#include <unistd.h>

#include <csignal>
#include <cstring>

namespace wascc::tools::watc {
namespace {

char g_abort_message[512];
size_t g_abort_message_length = 0;

extern "C" void on_parser_abort(int) {
  // Only async-signal-safe calls here.
  ssize_t ignored = ::write(STDERR_FILENO, g_abort_message, g_abort_message_length);
  (void)ignored;
  ::_exit(2);
}

}  // namespace

void exit_cleanly_if_parser_aborts(const std::string& input_name) {
  std::string message = input_name +
                        ": error: internal error in the WAT parser (a known WABT 1.0.32 "
                        "bug, fixed in 1.0.36); the input is malformed\n";
  if (message.size() >= sizeof g_abort_message) message = "watc: error: internal error in the WAT parser\n";
  std::memcpy(g_abort_message, message.data(), message.size());
  g_abort_message_length = message.size();
  struct sigaction action {};
  action.sa_handler = on_parser_abort;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGABRT, &action, nullptr);
}

}  // namespace wascc::tools::watc
