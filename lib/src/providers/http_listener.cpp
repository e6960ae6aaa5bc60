#include "wascc/providers/http_listener.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace wascc::http_server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// RFC 9110 token characters: what a header name may hold.
bool is_token_char(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// A header an actor sets must not split the response: no CR, LF or NUL in it, a token as name.
bool is_safe_header(const std::string& name, const std::string& value) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (!is_token_char(c)) return false;
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
}

bool is_body_forbidden(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::string_view kTooManyConnections =
    "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

}  // namespace

class Connection;
using Clock = std::chrono::steady_clock;

// One thread with its own event loop, as nginx has one per worker: a connection stays on the
// worker that accepted it, so a request never hands over between threads. Deadlines are
// checked by a sweep every 250 ms rather than a timer per read and write (a timer re-armed per
// operation costs timerfd system calls on every request).
struct Worker {
  std::mutex mutex;  // guards live (connections go away on other threads at stop)
  std::map<Connection*, std::weak_ptr<Connection>> live;
  std::thread thread;
  // Destroyed before the members above: the loop's pending handlers own connections, whose
  // destructors unregister themselves from `live`.
  asio::io_context loop{1};
  asio::steady_timer sweeper{loop};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;
  void sweep();
};

struct HttpListener::Impl {
  ListenerOptions options;
  Handler handler;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> connections{0};
  std::mutex drain_mutex;
  std::condition_variable drained;
  std::vector<std::unique_ptr<Worker>> workers;  // after what their connections' destructors use
  std::unique_ptr<tcp::acceptor> acceptor;       // on workers[0]
  size_t next_worker = 0;
  int port = 0;
  bool stopped = false;

  void accept();
};

// One client connection: a chain of asynchronous steps on its worker's thread, at most one
// pending at a time (wait for a request, read its header, its body, run the handler, write the
// reply, and again).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(HttpListener::Impl& owner, Worker& worker, tcp::socket socket)
      : owner_(owner), worker_(worker), socket_(std::move(socket)) {}
  ~Connection() {
    {
      std::lock_guard lock(worker_.mutex);
      worker_.live.erase(this);
    }
    std::lock_guard lock(owner_.drain_mutex);
    if (--owner_.connections == 0) owner_.drained.notify_all();
  }

  void start() {
    {
      std::lock_guard lock(worker_.mutex);
      worker_.live.emplace(this, weak_from_this());
    }
    asio::post(worker_.loop, [self = shared_from_this()] { self->wait_for_request(); });
  }

  // On the worker's thread, from its sweep.
  void check_deadline(Clock::time_point now) {
    if (now < deadline_ || !socket_.is_open()) return;
    timed_out_ = true;
    beast::error_code ignored;
    socket_.cancel(ignored);  // the pending operation ends with operation_aborted
  }

  // Called when the listener stops: an idle connection closes now, a busy one after its reply.
  void close_if_idle() {
    asio::post(worker_.loop, [self = shared_from_this()] {
      if (self->idle_) self->close();
    });
  }

 private:
  void close() {
    deadline_ = Clock::time_point::max();
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  void expires_after(std::chrono::milliseconds timeout) {
    deadline_ = Clock::now() + timeout;
    timed_out_ = false;
  }

  void wait_for_request() {
    if (owner_.stopping) return close();
    if (buffer_.size() > 0) return parse();  // a pipelined request is already here
    idle_ = true;
    expires_after(owner_.options.idle_timeout);
    read_more();
  }

  void read_more() {
    const size_t chunk = parser_ && parser_->is_header_done() ? 65536 : 16384;
    socket_.async_read_some(buffer_.prepare(chunk), [self = shared_from_this()](beast::error_code ec, size_t n) {
      const bool was_idle = std::exchange(self->idle_, false);
      if (self->timed_out_ && !was_idle) return self->reply_and_close(408, "Request Timeout");
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->parse();
    });
  }

  // Feeds the parser what the buffer holds, synchronously; reads more only when it needs more.
  // A request that arrived whole (the usual case) is parsed without another trip through the
  // event loop.
  void parse() {
    if (!parser_) {
      parser_.emplace();
      parser_->eager(true);
      parser_->header_limit(static_cast<uint32_t>(owner_.options.max_header_bytes));
      parser_->body_limit(owner_.options.max_body_bytes);
      header_checked_ = false;
      // Set once for the whole header: a client trickling bytes does not extend it.
      expires_after(owner_.options.header_timeout);
    }
    while (buffer_.size() > 0 && !parser_->is_done()) {
      beast::error_code ec;
      const size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == http::error::need_more) break;
      if (ec == http::error::header_limit) return reply_and_close(431, "Request Header Fields Too Large");
      if (ec == http::error::body_limit) return reply_and_close(413, "Payload Too Large");
      if (ec) return reply_and_close(400, "Bad Request");
      if (parser_->is_header_done() && !header_checked_) {
        header_checked_ = true;
        if (auto length = parser_->content_length(); length && *length > owner_.options.max_body_bytes) {
          return reply_and_close(413, "Payload Too Large");
        }
        expires_after(owner_.options.body_timeout);
        const bool wants_continue = beast::iequals(parser_->get()[http::field::expect], "100-continue");
        if (wants_continue && !parser_->is_done() && buffer_.size() == 0) return send_continue();
      }
      if (used == 0) break;
    }
    if (parser_->is_done()) return respond();
    read_more();
  }

  void send_continue() {
    expires_after(owner_.options.write_timeout);
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->close();
                        self->expires_after(self->owner_.options.body_timeout);
                        self->read_more();
                      });
  }

  void respond() {
    deadline_ = Clock::time_point::max();  // the handler keeps its own deadline
    auto& message = parser_->get();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message)
      request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    request.body = std::move(message.body());
    const bool head = message.method() == http::verb::head;
    keep_alive_ = message.keep_alive() && !owner_.stopping;
    const bool http10 = message.version() == 10;
    parser_.reset();

    HttpResponse reply;
    try {
      reply = owner_.handler(request);
    } catch (const std::exception&) {
      reply = HttpResponse{500, {}, "Failed to handle request"};
    }
    if (reply.status < 100 || reply.status > 999) reply = HttpResponse{500, {}, "Failed to handle request"};
    if (is_body_forbidden(reply.status)) reply.body.clear();
    keep_alive_ = keep_alive_ && !owner_.stopping;  // a stop during the handler: this reply is the last
    head_.clear();
    head_ += http10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head_ += std::to_string(reply.status);
    head_ += ' ';
    if (auto known = http::int_to_status(static_cast<unsigned>(reply.status)); known != http::status::unknown) {
      head_ += http::obsolete_reason(known);
    }
    head_ += "\r\n";
    for (const auto& [name, value] : reply.headers) {
      if (!is_safe_header(name, value)) continue;
      head_ += name;
      head_ += ": ";
      head_ += value;
      head_ += "\r\n";
    }
    if (!is_body_forbidden(reply.status)) {  // HEAD: the GET's length, no body
      head_ += "Content-Length: ";
      head_ += std::to_string(reply.body.size());
      head_ += "\r\n";
    }
    if (!keep_alive_)
      head_ += "Connection: close\r\n";
    else if (http10)
      head_ += "Connection: keep-alive\r\n";
    head_ += "\r\n";
    body_ = head ? std::string() : std::move(reply.body);
    write_response();
  }

  void reply_and_close(unsigned status, std::string_view text) {
    keep_alive_ = false;
    parser_.reset();
    head_ = "HTTP/1.1 " + std::to_string(status) + " " +
            std::string(http::obsolete_reason(http::int_to_status(status))) +
            "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(text.size()) +
            "\r\nConnection: close\r\n\r\n";
    body_ = std::string(text);
    write_response();
  }

  void write_response() {
    expires_after(owner_.options.write_timeout);
    const std::array<asio::const_buffer, 2> parts{asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(socket_, parts, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec || !self->keep_alive_ || self->owner_.stopping) return self->close();
      self->wait_for_request();
    });
  }

  HttpListener::Impl& owner_;
  Worker& worker_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;  // of the request being read
  bool header_checked_ = false;
  std::string head_, body_;  // the response being written
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timed_out_ = false;
  bool keep_alive_ = false;
  bool idle_ = false;  // waiting for the first byte of a request
};

void Worker::sweep() {
  sweeper.expires_after(std::chrono::milliseconds(250));
  sweeper.async_wait([this](beast::error_code ec) {
    if (ec) return;
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(mutex);
      open.reserve(live.size());
      for (auto& [raw, weak] : live) {
        if (auto connection = weak.lock()) open.push_back(std::move(connection));
      }
    }
    const auto now = Clock::now();
    for (auto& connection : open) connection->check_deadline(now);
    sweep();
  });
}

void HttpListener::Impl::accept() {
  Worker& worker = *workers[next_worker];
  next_worker = (next_worker + 1) % workers.size();
  acceptor->async_accept(worker.loop, [this, &worker](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (connections.load() >= options.max_connections) {
        asio::write(socket, asio::buffer(kTooManyConnections.data(), kTooManyConnections.size()), ignored);
        socket.close(ignored);
      } else {
        ++connections;
        std::make_shared<Connection>(*this, worker, std::move(socket))->start();
      }
    }
    accept();
  });
}

HttpListener::HttpListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpListener::~HttpListener() { stop(); }

Result<std::unique_ptr<HttpListener>> HttpListener::start(const ListenerOptions& options, Handler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  int threads = options.threads;
  if (threads <= 0) threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) impl->workers.push_back(std::make_unique<Worker>());
  impl->acceptor = std::make_unique<tcp::acceptor>(impl->workers[0]->loop);
  const std::string where = options.address + ":" + std::to_string(options.port);
  beast::error_code ec;
  tcp::resolver resolver(impl->workers[0]->loop);
  auto endpoints = resolver.resolve(options.address, std::to_string(options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) return input_error("cannot listen on " + where + ": not an address of this machine");
  const tcp::endpoint endpoint = *endpoints.begin();
  auto& acceptor = *impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  // SO_REUSEADDR only (no SO_REUSEPORT): a port another server holds must be an error.
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return input_error("cannot listen on " + where + ": " + ec.message());
  impl->port = acceptor.local_endpoint().port();
  impl->accept();
  for (auto& worker : impl->workers) {
    worker->keep_running.emplace(worker->loop.get_executor());
    worker->sweep();
    worker->thread = std::thread([running = worker.get()] {
      for (;;) {
        try {
          running->loop.run();
          return;
        } catch (const std::exception&) {
          // A handler's exception must not end the thread that serves its other connections.
        }
      }
    });
  }
  return std::unique_ptr<HttpListener>(new HttpListener(std::move(impl)));
}

int HttpListener::port() const { return impl_->port; }

void HttpListener::stop(std::chrono::milliseconds drain) {
  if (!impl_ || impl_->stopped) return;
  Impl& impl = *impl_;
  impl.stopped = true;
  impl.stopping = true;
  asio::post(impl.workers[0]->loop, [&impl] {
    beast::error_code ignored;
    impl.acceptor->close(ignored);
  });
  for (auto& worker : impl.workers) {
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(worker->mutex);
      for (auto& [raw, weak] : worker->live) {
        if (auto connection = weak.lock()) open.push_back(std::move(connection));
      }
    }
    for (auto& connection : open) connection->close_if_idle();
  }
  {
    std::unique_lock lock(impl.drain_mutex);
    impl.drained.wait_for(lock, drain, [&impl] { return impl.connections.load() == 0; });
  }
  for (auto& worker : impl.workers) {
    worker->keep_running.reset();
    worker->loop.stop();
  }
  for (auto& worker : impl.workers) {
    if (worker->thread.joinable()) worker->thread.join();
  }
}

}  // namespace wascc::http_server
