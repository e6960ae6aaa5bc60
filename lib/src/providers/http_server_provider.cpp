#include "wascc/providers/http_server_provider.h"

#include <httplib.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <charconv>
#include <thread>

#include "wascc/actors/actor_codec.h"
#include "wascc/base/ascii.h"
#include "wascc/base/msgpack_writer.h"

namespace wascc::http_server {
namespace {

constexpr size_t kMaxBodyBytes = 64u << 20;   // a request body beyond this is refused (413)
constexpr size_t kKeepAliveRequests = 10000;  // httplib's default of 5 would reconnect constantly

bool computed_by_server(const std::string& lowered_name) {
  return lowered_name == "content-length" || lowered_name == "transfer-encoding" || lowered_name == "connection";
}

Result<int> port_value(const BindingValues& values) {
  auto found = values.find("PORT");
  if (found == values.end()) return 8080;
  const std::string& text = found->second;
  int port = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 0 || port > 65535) {
    return input_error("wascc:http_server: PORT \"" + text + "\" is not a port number");
  }
  return port;
}

}  // namespace

Bytes encode_request(const HttpRequest& request) {
  std::map<std::string, std::string> header;  // one value per name, the last winning
  for (const auto& [name, value] : request.headers) header[ascii::lowercase(name)] = value;
  const auto question = request.target.find('?');
  const std::string_view target = request.target;
  MsgpackWriter out;
  out.map_header(5);
  out.text("method");
  out.text(request.method);
  out.text("path");
  out.text(target.substr(0, question));
  out.text("queryString");
  out.text(question == std::string::npos ? std::string_view() : target.substr(question + 1));
  out.text("header");
  out.map_header(static_cast<uint32_t>(header.size()));
  for (const auto& [name, value] : header) {
    out.text(name);
    out.text(value);
  }
  out.text("body");
  out.binary(request.body);
  return out.take();
}

Result<HttpResponse> decode_response(ByteView reply) {
  auto decoded = actor_codec::decode(*actor_codec::find_schema("Response"), reply);
  if (!decoded) return decoded.error();
  const auto& json = *decoded;
  HttpResponse response;
  const auto code = json.value("statusCode", uint64_t{0});
  if (code < 100 || code > 999) return invalid_error("the actor answered status code " + std::to_string(code));
  response.status = static_cast<int>(code);
  if (json.contains("header")) {
    for (const auto& [name, value] : json["header"].items()) {
      if (!computed_by_server(ascii::lowercase(name))) response.headers.emplace(name, value.get<std::string>());
    }
  }
  if (json.contains("body")) {
    const auto& body = json["body"].get_binary();
    response.body.assign(body.begin(), body.end());
  }
  return response;
}

struct Provider::Server {
  httplib::Server http;
  std::thread listener;
  std::atomic<bool> listener_returned{false};
  std::string address;
  int port = 0;
};

Provider::Provider(Notice notice) : notice_(std::move(notice)) {}
Provider::~Provider() { stop(); }

Status Provider::bind_actor(const std::string& actor, const BindingValues& values) {
  auto port = port_value(values);
  if (!port) return port.error();
  auto address = values.count("ADDRESS") ? values.at("ADDRESS") : std::string("127.0.0.1");
  auto server = std::make_unique<Server>();
  server->address = address;
  server->http.set_payload_max_length(kMaxBodyBytes);
  server->http.set_keep_alive_max_count(kKeepAliveRequests);
  server->http.set_tcp_nodelay(true);  // headers and body go out in two writes: no 40 ms Nagle stall
  // httplib's default adds SO_REUSEPORT, with which a second server on a taken port silently
  // shares it: a port in use must be an error.
  server->http.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  // Every method and path goes to the actor. (httplib's pre-routing hook would skip its regex
  // routing but runs before the body is read.)
  auto handler = [this, actor](const httplib::Request& req, httplib::Response& res) {
    // The actor's reply is the whole response: httplib would otherwise cut it per Range, and a
    // Range of 2,000 overlapping parts over a 4 MB body built 8 GB of multipart output. The
    // header still reaches the actor; only the library's own slicing is turned off.
    const_cast<httplib::Request&>(req).ranges.clear();
    HttpRequest request{req.method, req.target, {req.headers.begin(), req.headers.end()}, req.body};
    auto reply = dispatcher_ ? dispatcher_(actor, "HandleRequest", encode_request(request))
                             : Result<Bytes>(invalid_error("no dispatcher"));
    auto response = reply ? decode_response(*reply) : Result<HttpResponse>(reply.error());
    if (!response) {
      if (notice_) notice_("wascc:http_server: " + req.method + " " + req.target + " -> " + actor + ": " + response.error().message);
      res.status = 500;
      res.body = "Failed to handle request";
      return;
    }
    res.status = response->status;
    for (auto& [name, value] : response->headers) res.headers.emplace(name, value);
    res.body = std::move(response->body);
  };
  const std::string any_path = ".*";
  server->http.Get(any_path, handler);  // HEAD too
  server->http.Post(any_path, handler);
  server->http.Put(any_path, handler);
  server->http.Patch(any_path, handler);
  server->http.Delete(any_path, handler);
  server->http.Options(any_path, handler);
  if (*port == 0) {
    server->port = server->http.bind_to_any_port(address);
  } else if (server->http.bind_to_port(address, *port)) {
    server->port = *port;
  }
  if (server->port <= 0) {
    return input_error("wascc:http_server: cannot listen on " + address + ":" + std::to_string(*port) +
                       " (in use, or not an address of this machine)");
  }
  Server* running = server.get();
  server->listener = std::thread([running] {
    running->http.listen_after_bind();
    running->listener_returned = true;
  });
  // httplib's stop() is a no-op until the listener runs: wait for it, so removal cannot hang.
  while (!running->http.is_running() && !running->listener_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (notice_) notice_("wascc:http_server: http://" + address + ":" + std::to_string(server->port) + " -> " + actor);
  std::unique_ptr<Server> replaced;
  {
    std::lock_guard lock(mutex_);
    replaced = std::move(servers_[actor]);
    servers_[actor] = std::move(server);
  }
  if (replaced) {
    replaced->http.stop();
    replaced->listener.join();
  }
  return ok_status();
}

void Provider::remove_actor(const std::string& actor) {
  std::unique_ptr<Server> server;
  {
    std::lock_guard lock(mutex_);
    auto found = servers_.find(actor);
    if (found == servers_.end()) return;
    server = std::move(found->second);
    servers_.erase(found);
  }
  server->http.stop();  // in-flight requests finish; the listener thread then returns
  server->listener.join();
}

Result<Bytes> Provider::handle_call(const std::string&, std::string_view operation, ByteView) {
  return input_error("wascc:http_server has no operation " + std::string(operation) + " for actors to call");
}

void Provider::stop() {
  std::vector<std::string> actors;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [actor, server] : servers_) actors.push_back(actor);
  }
  for (const auto& actor : actors) remove_actor(actor);
}

int Provider::port_of(const std::string& actor) {
  std::lock_guard lock(mutex_);
  auto found = servers_.find(actor);
  return found == servers_.end() ? 0 : found->second->port;
}

}  // namespace wascc::http_server
