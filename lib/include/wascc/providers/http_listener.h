// The HTTP/1.1 server under wascc:http_server: event-driven (Boost.Beast over Asio's epoll
// reactor), keep-alive and pipelining (requests on one connection are answered in order), a
// header deadline that a client trickling bytes cannot extend, a body deadline, an idle
// deadline between requests, a cap on header and body sizes and on open connections.
// Handlers run on the listener's threads, one request at a time per connection; a handler may
// block (an actor call), the other threads go on serving.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "wascc/base/result.h"

namespace wascc::http_server {

struct HttpRequest {
  std::string method;
  std::string target;  // path and query, as on the request line
  std::multimap<std::string, std::string> headers;
  std::string body;
};

struct HttpResponse {
  int status = 500;
  std::multimap<std::string, std::string> headers;
  std::string body;
};

struct ListenerOptions {
  std::string address = "127.0.0.1";
  int port = 0;                                     // 0 picks a free port
  int threads = 0;                                  // 0: one per core, at least 2
  size_t max_connections = 4096;                    // beyond it a new connection gets 503 and is closed
  size_t max_header_bytes = 64u << 10;              // 431 beyond it
  size_t max_body_bytes = 64u << 20;                // 413 beyond it
  std::chrono::milliseconds header_timeout{10000};  // from a request's first byte to its last header line
  std::chrono::milliseconds body_timeout{60000};    // from the headers to the body's last byte
  std::chrono::milliseconds idle_timeout{60000};    // a keep-alive connection waiting for its next request
  std::chrono::milliseconds write_timeout{60000};   // a client that does not read its response
};

class HttpListener {
 public:
  using Handler = std::function<HttpResponse(HttpRequest& request)>;
  // Binds and starts serving; an address or port that cannot be bound is an input error.
  static Result<std::unique_ptr<HttpListener>> start(const ListenerOptions& options, Handler handler);
  ~HttpListener();  // stop()
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  int port() const;
  // Stops accepting, closes idle connections, lets requests in flight be answered (up to
  // `drain`), then closes the rest and joins the threads.
  void stop(std::chrono::milliseconds drain = std::chrono::milliseconds(5000));

  struct Impl;

 private:
  explicit HttpListener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wascc::http_server
