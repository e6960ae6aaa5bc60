#include "wascc/wapc/process_host_handler.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace wascc::process_host_handler {
namespace {

struct Pipe {
  int read = -1;
  int write = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  bool open_socket() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  void close_both() {
    if (read >= 0) ::close(read);
    if (write >= 0) ::close(write);
    read = write = -1;
  }
};

constexpr size_t kMaxReplyBytes = 64u << 20;  // what a guest may be handed in one reply
constexpr size_t kMaxErrorBytes = 64u << 10;  // stderr becomes a one-line error message

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

// The command started with its stdin, stdout and stderr on the three pipes (the child's ends
// closed here), in a process group of its own; the call's names are in its environment.
Result<pid_t> spawn(const std::string& command, const wapc::HostCall& call, Pipe& in, Pipe& out, Pipe& err) {
  // Environment built before fork: the child only calls async-signal-safe functions.
  std::string binding = "WAPC_BINDING=" + call.binding;
  std::string ns = "WAPC_NAMESPACE=" + call.namespace_;
  std::string operation = "WAPC_OPERATION=" + call.operation;
  std::vector<char*> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (std::strncmp(*variable, "WAPC_", 5) != 0) environment.push_back(*variable);
  }
  environment.push_back(binding.data());
  environment.push_back(ns.data());
  environment.push_back(operation.data());
  environment.push_back(nullptr);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};

  pid_t child = ::fork();
  if (child < 0) return input_error(std::string("host handler: cannot fork: ") + std::strerror(errno));
  if (child == 0) {
    ::setpgid(0, 0);  // its own group: a deadline ends the shell and whatever it started
    ::dup2(in.read, STDIN_FILENO);
    ::dup2(out.write, STDOUT_FILENO);
    ::dup2(err.write, STDERR_FILENO);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve("/bin/sh", const_cast<char* const*>(argv), environment.data());
    ::_exit(127);
  }
  ::close(in.read);
  ::close(out.write);
  ::close(err.write);
  in.read = out.write = err.write = -1;
  return child;
}

struct Exchange {
  Bytes reply;
  std::string errors;  // the first kMaxErrorBytes of stderr
  bool timed_out = false;
  bool too_large = false;
};

// Feeds the payload to stdin and drains stdout and stderr together, so that a chatty command
// never blocks us, until both outputs close, the deadline passes or the reply grows too large.
// Closes every pipe end it was given.
Exchange exchange(const wapc::HostCall& call, int stdin_fd, int stdout_fd, int stderr_fd) {
  ::fcntl(stdin_fd, F_SETFL, O_NONBLOCK);
  Exchange result;
  size_t fed = 0;
  if (call.payload.empty()) {
    ::close(stdin_fd);
    stdin_fd = -1;
  }
  int outputs[2] = {stdout_fd, stderr_fd};
  pollfd fds[3];
  while (outputs[0] >= 0 || outputs[1] >= 0 || stdin_fd >= 0) {
    fds[0] = {outputs[0], POLLIN, 0};
    fds[1] = {outputs[1], POLLIN, 0};
    fds[2] = {stdin_fd, POLLOUT, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(call.deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    const int wait_ms = static_cast<int>(std::min<int64_t>(left.count() + 1, 60'000));
    const int ready = ::poll(fds, stdin_fd >= 0 ? 3 : 2, wait_ms);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      uint8_t buffer[65536];
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got > 0) {
        if (i == 0)
          result.reply.insert(result.reply.end(), buffer, buffer + got);
        else if (result.errors.size() < kMaxErrorBytes)
          result.errors.append(reinterpret_cast<char*>(buffer), static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        outputs[i] = -1;
      }
    }
    if (result.reply.size() > kMaxReplyBytes) {
      result.too_large = true;
      break;
    }
    if (stdin_fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t put = ::send(stdin_fd, call.payload.data() + fed, call.payload.size() - fed, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (put > 0) fed += static_cast<size_t>(put);
      if ((put < 0 && errno != EAGAIN && errno != EINTR) || fed == call.payload.size()) {
        ::close(stdin_fd);  // done, or the command does not read its stdin (EPIPE)
        stdin_fd = -1;
      }
    }
  }
  for (int fd : {stdin_fd, outputs[0], outputs[1]}) {
    if (fd >= 0) ::close(fd);
  }
  return result;
}

}  // namespace

Result<Bytes> run(const std::string& command, const wapc::HostCall& call) {
  // stdin is a socket, not a pipe: send(MSG_NOSIGNAL) to a command that exits without reading
  // its stdin fails with EPIPE instead of raising SIGPIPE, with no process-wide handler.
  Pipe in, out, err;
  if (!in.open_socket() || !out.open() || !err.open()) {
    in.close_both();
    out.close_both();
    err.close_both();
    return input_error(std::string("host handler: cannot create pipes: ") + std::strerror(errno));
  }
  auto child = spawn(command, call, in, out, err);
  if (!child) {
    in.close_both();
    out.close_both();
    err.close_both();
    return child.error();
  }
  const Exchange result = exchange(call, in.write, out.read, err.read);
  if (result.timed_out || result.too_large) ::kill(-*child, SIGKILL);
  int status = 0;
  while (::waitpid(*child, &status, 0) < 0 && errno == EINTR) {
  }
  if (result.timed_out) return input_error("host handler: the call's deadline passed; the command was killed");
  if (result.too_large) {
    return input_error("host handler: reply larger than " + std::to_string(kMaxReplyBytes) +
                       " bytes; the command was killed");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return result.reply;
  std::string message = trimmed(result.errors);
  if (message.empty()) {
    message = WIFEXITED(status) ? "host handler exit status " + std::to_string(WEXITSTATUS(status))
                                : "host handler killed by signal " + std::to_string(WTERMSIG(status));
  }
  return input_error(message);
}

wapc::HostCallHandler make(std::string command) {
  return [command = std::move(command)](const wapc::HostCall& call) { return run(command, call); };
}

}  // namespace wascc::process_host_handler
