// The HTTP server under wascc:http_server, spoken to over raw sockets: what the hardening issue
// found (slow clients stalling everyone, pipelined requests stalling) and what an HTTP/1.1 server
// owes its clients (deadlines, limits, 100-continue, HEAD, a connection cap, a graceful stop).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "wascc/providers/http_listener.h"

using namespace wascc;
using namespace wascc::http_server;
using namespace std::chrono_literals;

namespace {

// A client socket that closes itself.
class Client {
 public:
  explicit Client(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      REQUIRE(sent > 0);
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
  }

  // Everything until the server closes, or what came before `timeout`.
  std::string read_until_closed(std::chrono::milliseconds timeout = 3000ms) {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    while (receive_some(give_up)) {
    }
    return std::exchange(buffer_, std::string());
  }

  // Reads until `count` occurrences of `marker` arrived (or the timeout).
  std::string read_until(std::string_view marker, size_t count = 1, std::chrono::milliseconds timeout = 3000ms) {
    const auto give_up = std::chrono::steady_clock::now() + timeout;
    while (occurrences(buffer_, marker) < count && receive_some(give_up)) {
    }
    return buffer_;
  }

  bool closed() const { return closed_; }

  static size_t occurrences(std::string_view text, std::string_view marker) {
    size_t found = 0;
    for (size_t at = text.find(marker); at != std::string_view::npos; at = text.find(marker, at + 1)) ++found;
    return found;
  }

 private:
  // Appends what arrives before `give_up` to the buffer; false at the deadline or the close.
  bool receive_some(std::chrono::steady_clock::time_point give_up) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
    pollfd entry{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&entry, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[65536];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(got));
    return true;
  }

  int fd_;
  std::string buffer_;
  bool closed_ = false;
};

HttpResponse echo_path(HttpRequest& request) {
  return HttpResponse{
      200, {{"content-type", "text/plain"}}, request.method + " " + request.target + " " + request.body};
}

std::unique_ptr<HttpListener> start_listener(ListenerOptions options, HttpListener::Handler handler = echo_path) {
  auto listener = HttpListener::start(options, std::move(handler));
  REQUIRE_MESSAGE(listener.ok(), listener.error().message);
  return std::move(listener.value());
}

}  // namespace

TEST_CASE("http listener: pipelined requests on one connection are all answered, in order, at once") {
  auto server = start_listener({});
  Client client(server->port());
  std::string requests;
  for (int i = 0; i < 20; ++i) requests += "GET /" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  requests += "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const auto started = std::chrono::steady_clock::now();
  client.send(requests);
  const std::string replies = client.read_until_closed();
  CHECK(std::chrono::steady_clock::now() - started < 2s);  // no stall between requests (was 5 s)
  CHECK(Client::occurrences(replies, "HTTP/1.1 200 OK") == 21);
  size_t previous = 0;
  for (int i = 0; i < 20; ++i) {
    const size_t at = replies.find("GET /" + std::to_string(i) + " ");
    REQUIRE(at != std::string::npos);
    CHECK(at >= previous);
    previous = at;
  }
  CHECK(replies.find("GET /last") > previous);
  CHECK(client.closed());
}

TEST_CASE("http listener: clients trickling a header get 408 at the header deadline; others are served meanwhile") {
  ListenerOptions options;
  options.threads = 1;  // the worst case: every connection on one thread
  options.header_timeout = 400ms;
  auto server = start_listener(options);
  std::vector<std::unique_ptr<Client>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<Client>(server->port()));
    slow.back()->send("GET / HTTP/1.1\r\n");
  }
  Client prompt(server->port());
  const auto asked = std::chrono::steady_clock::now();
  prompt.send("GET /prompt HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(prompt.read_until("GET /prompt").find("HTTP/1.1 200 OK") == 0);
  CHECK(std::chrono::steady_clock::now() - asked < 300ms);
  // A header line every 150 ms does not extend the deadline.
  for (int line = 0; line < 3; ++line) {
    std::this_thread::sleep_for(150ms);
    for (auto& client : slow) client->send("X-Slow: 1\r\n");
  }
  for (auto& client : slow) {
    const std::string reply = client->read_until_closed(2000ms);
    CHECK(reply.rfind("HTTP/1.1 408 Request Timeout\r\n", 0) == 0);
    CHECK(client->closed());
  }
}

TEST_CASE("http listener: an idle keep-alive connection is closed at the idle deadline; a slow body gets 408") {
  ListenerOptions options;
  options.idle_timeout = 200ms;
  options.body_timeout = 300ms;
  auto server = start_listener(options);
  Client idle(server->port());
  idle.send("GET /once HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(idle.read_until("GET /once").find("200 OK") != std::string::npos);
  const auto waited = std::chrono::steady_clock::now();
  idle.read_until_closed(2000ms);
  CHECK(idle.closed());
  CHECK(std::chrono::steady_clock::now() - waited < 1500ms);

  Client slow_body(server->port());
  slow_body.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  CHECK(slow_body.read_until_closed(2000ms).rfind("HTTP/1.1 408 ", 0) == 0);
}

TEST_CASE("http listener: limits on header and body size, and malformed requests, answer and close") {
  ListenerOptions options;
  options.max_body_bytes = 1000;
  options.max_header_bytes = 4096;
  std::atomic<int> handled{0};
  auto server = start_listener(options, [&](HttpRequest& request) {
    ++handled;
    return echo_path(request);
  });
  {
    Client client(server->port());  // refused from the declared length, before the body is sent
    client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    CHECK(client.read_until_closed().rfind("HTTP/1.1 413 Payload Too Large\r\n", 0) == 0);
  }
  {
    Client client(server->port());  // chunked, with no declared length: refused once over
    client.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + std::string(2000, 'z') +
                "\r\n0\r\n\r\n");
    CHECK(client.read_until_closed().rfind("HTTP/1.1 413 ", 0) == 0);
  }
  {
    Client client(server->port());
    client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'b') + "\r\n\r\n");
    CHECK(client.read_until_closed().rfind("HTTP/1.1 431 ", 0) == 0);
  }
  {
    Client client(server->port());
    client.send("NOT HTTP AT ALL\r\n\r\n");
    CHECK(client.read_until_closed().rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  }
  CHECK(handled == 0);
  Client chunked(server->port());  // a body within the limit, chunked, arrives whole
  chunked.send(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: "
      "close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  CHECK(chunked.read_until_closed().find("POST /c abcde") != std::string::npos);
}

TEST_CASE("http listener: beyond max_connections a new client gets 503; a closed one frees its place") {
  ListenerOptions options;
  options.max_connections = 2;
  auto server = start_listener(options);
  auto first = std::make_unique<Client>(server->port());
  Client second(server->port());
  first->send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
  second.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(first->read_until("GET /1").find("200 OK") != std::string::npos);
  CHECK(second.read_until("GET /2").find("200 OK") != std::string::npos);
  {
    Client third(server->port());
    CHECK(third.read_until_closed().rfind("HTTP/1.1 503 Service Unavailable\r\n", 0) == 0);
  }
  first.reset();
  std::string reply;
  for (int attempt = 0; attempt < 50 && reply.find("200 OK") == std::string::npos; ++attempt) {
    std::this_thread::sleep_for(20ms);  // the server notices the close on its next read
    Client again(server->port());
    again.send("GET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    reply = again.read_until_closed();
  }
  CHECK(reply.find("GET /3") != std::string::npos);
}

TEST_CASE("http listener: Expect 100-continue, HEAD, 204, HTTP/1.0 and headers that would split the response") {
  auto server = start_listener({}, [](HttpRequest& request) {
    if (request.target == "/empty") return HttpResponse{204, {}, "dropped"};
    if (request.target == "/inject") {
      return HttpResponse{200, {{"X-Good", "yes"}, {"X-Bad", "a\r\nSet-Cookie: evil=1"}, {"Bad Name", "v"}}, "body"};
    }
    return echo_path(request);
  });
  Client client(server->port());
  client.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  CHECK(client.read_until("\r\n\r\n").rfind("HTTP/1.1 100 Continue\r\n\r\n", 0) == 0);
  client.send("hello");
  CHECK(client.read_until("POST /up hello").find("HTTP/1.1 200 OK") != std::string::npos);

  Client head(server->port());
  head.send("HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string head_reply = head.read_until_closed();
  CHECK(head_reply.find("Content-Length: 8\r\n") != std::string::npos);  // "HEAD /h "
  CHECK(head_reply.substr(head_reply.find("\r\n\r\n") + 4).empty());

  Client empty(server->port());
  empty.send("GET /empty HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string empty_reply = empty.read_until_closed();
  CHECK(empty_reply.rfind("HTTP/1.1 204 No Content\r\n", 0) == 0);
  CHECK(empty_reply.find("Content-Length") == std::string::npos);
  CHECK(empty_reply.find("dropped") == std::string::npos);

  Client inject(server->port());
  inject.send("GET /inject HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string inject_reply = inject.read_until_closed();
  CHECK(inject_reply.find("X-Good: yes\r\n") != std::string::npos);
  CHECK(inject_reply.find("evil") == std::string::npos);
  CHECK(inject_reply.find("Bad Name") == std::string::npos);

  Client old(server->port());
  old.send("GET /old HTTP/1.0\r\n\r\n");  // HTTP/1.0 closes unless asked to keep alive
  const std::string old_reply = old.read_until_closed();
  CHECK(old_reply.rfind("HTTP/1.0 200 OK\r\n", 0) == 0);
  CHECK(old.closed());
}

TEST_CASE("http listener: stop answers the request in flight and closes idle connections") {
  std::atomic<bool> inside{false};
  auto server = start_listener({}, [&](HttpRequest& request) {
    inside = true;
    std::this_thread::sleep_for(300ms);
    return echo_path(request);
  });
  Client idle(server->port());
  Client busy(server->port());
  busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  while (!inside) std::this_thread::sleep_for(5ms);
  server->stop();
  const std::string reply = busy.read_until_closed();
  CHECK(reply.find("GET /slow") != std::string::npos);
  CHECK(reply.find("Connection: close\r\n") != std::string::npos);
  idle.read_until_closed(1000ms);
  CHECK(idle.closed());
}

TEST_CASE("http listener: a port in use and an address not of this machine are errors naming them") {
  auto server = start_listener({});
  ListenerOptions same;
  same.port = server->port();
  auto taken = HttpListener::start(same, echo_path);
  REQUIRE_FALSE(taken.ok());
  CHECK(taken.error().message ==
        "cannot listen on 127.0.0.1:" + std::to_string(server->port()) + ": Address already in use");
  ListenerOptions foreign;
  foreign.address = "192.0.2.1";  // TEST-NET-1: never an address of this machine
  auto refused = HttpListener::start(foreign, echo_path);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "cannot listen on 192.0.2.1:0: Cannot assign requested address");
}
