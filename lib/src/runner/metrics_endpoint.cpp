#include "wascc/runner/metrics_endpoint.h"

#include <charconv>

#include "wascc/engine/aot_engine.h"

namespace wascc::metrics_endpoint {

Result<std::pair<std::string, int>> parse_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos)
    return input_error("--metrics " + text + ": expected ADDRESS:PORT, e.g. 127.0.0.1:9090");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  const std::string port_text = text.substr(colon + 1);
  int port = -1;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return input_error("--metrics " + text + ": \"" + port_text + "\" is not a port number");
  }
  return std::pair{host, port};
}

Result<std::unique_ptr<http_server::HttpListener>> serve(std::shared_ptr<metrics::Registry> registry,
                                                         const std::string& address) {
  auto where = parse_address(address);
  if (!where) return where.error();
  registry->describe("wascc_aot_cache_total", "counter",
                     "Native artifacts found in the AOT cache (hit) or compiled (compile)");
  registry->describe("wascc_http_requests_total", "counter", "HTTP requests answered by actors, by status");
  registry->describe("wascc_http_request_duration_seconds", "histogram", "The actor's part of each HTTP request");
  http_server::ListenerOptions options;
  options.address = where->first;
  options.port = where->second;
  options.threads = 1;
  auto served = http_server::HttpListener::start(options, [registry](http_server::HttpRequest& request) {
    const auto path = request.target.substr(0, request.target.find('?'));
    if (path != "/metrics") return http_server::HttpResponse{404, {{"Content-Type", "text/plain"}}, "see /metrics\n"};
    if (request.method != "GET" && request.method != "HEAD") {
      return http_server::HttpResponse{405, {{"Allow", "GET, HEAD"}}, ""};
    }
    const auto cache = aot_engine::cache_counts();
    registry->set("wascc_aot_cache_total", {{"result", "hit"}}, static_cast<double>(cache.hits));
    registry->set("wascc_aot_cache_total", {{"result", "compile"}}, static_cast<double>(cache.compiles));
    return http_server::HttpResponse{
        200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}}, registry->exposition()};
  });
  if (!served) return input_error("--metrics: " + served.error().message);
  return served;
}

http_server::AccessLog request_counter(std::shared_ptr<metrics::Registry> registry) {
  return [registry](const http_server::AccessRecord& request) {
    const std::string actor(request.actor);
    registry->add("wascc_http_requests_total", {{"actor", actor}, {"status", std::to_string(request.status)}});
    registry->observe("wascc_http_request_duration_seconds", {{"actor", actor}},
                      std::chrono::duration<double>(request.elapsed).count());
  };
}

}  // namespace wascc::metrics_endpoint
