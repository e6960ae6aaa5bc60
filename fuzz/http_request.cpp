// Bytes a client sends to `wascc:http_server`: the listener parses them (request line,
// headers, chunked or sized bodies, pipelined requests), and each request is encoded as the
// actor's Request and decoded again, as an actor would read it. One connection per input,
// half-closed after the input so the server never waits on a deadline.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <memory>

#include "fuzz_input.h"
#include "wascc/providers/http_codec.h"
#include "wascc/actors/actor_codec.h"
#include "wascc/providers/http_server_provider.h"

using namespace wascc;

namespace {
std::unique_ptr<http_server::HttpListener> g_listener;

http_server::HttpResponse answer(http_server::HttpRequest& request) {
  const Bytes wire = http_codec::encode_request(request);
  if (const auto* schema = actor_codec::find_schema("Request")) {
    if (!actor_codec::decode(*schema, wire)) __builtin_trap();  // what the server writes, an actor must read
  }
  return {200, {{"content-type", "text/plain"}}, request.body.substr(0, 64)};
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  http_server::ListenerOptions options;
  options.threads = 1;
  options.max_body_bytes = 1u << 20;
  options.header_timeout = std::chrono::milliseconds(2000);
  options.body_timeout = std::chrono::milliseconds(2000);
  auto started = http_server::HttpListener::start(options, answer);
  if (!started) __builtin_trap();
  g_listener = std::move(started.value());
  return 0;
}

namespace {

// A connection to the listener from the next loopback address, or -1 with errno set.
int connect_to_listener() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(g_listener->port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval wait{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  // The client closes first (it half-closes after the input), so each run leaves a port in
  // TIME_WAIT; at ~3,000 runs a second one source address ran out of ports in 3 minutes. Every
  // 127.x.y.z is loopback: each run takes the next one, with a port range of its own, starting
  // where the last process did not (its TIME_WAIT ports are still held).
  static uint32_t next_source = static_cast<uint32_t>(::getpid()) * 7919u;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl(0x7f000001u + (next_source++ % 0xfffffeu));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) == 0 &&
      ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    return fd;
  }
  const int error = errno;
  ::close(fd);
  errno = error;
  return -1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256u << 10) return -1;
  // A transient refusal (the backlog full, a port still held) is retried for a second; a
  // listener that stays unreachable is a finding, with the reason on stderr.
  int fd = -1;
  for (int attempt = 0; (fd = connect_to_listener()) < 0; ++attempt) {
    if (attempt == 100) {
      std::fprintf(stderr, "fuzz_http_request: connect: %s\n", std::strerror(errno));
      __builtin_trap();
    }
    ::usleep(10'000);
  }
  for (size_t sent = 0; sent < size;) {
    const ssize_t n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (a malformed request): fine
    sent += static_cast<size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  while (::recv(fd, sink, sizeof sink, 0) > 0) {
  }
  ::close(fd);
  return 0;
}
