// `wascc run --metrics ADDRESS:PORT`: the host's metrics registry served at GET /metrics in
// Prometheus's text format, by the same HTTP server as wascc:http_server, with the AOT cache's
// counts and the HTTP requests the actors answered.
#pragma once

#include <memory>
#include <string>

#include "wascc/base/metrics.h"
#include "wascc/providers/http_listener.h"
#include "wascc/providers/http_server_provider.h"

namespace wascc::metrics_endpoint {

// "127.0.0.1:9090", "[::1]:9090", ":9090" (loopback): the address and the port (0 picks one).
Result<std::pair<std::string, int>> parse_address(const std::string& text);

// Declares the families this endpoint and request_counter() fill, and starts serving.
Result<std::unique_ptr<http_server::HttpListener>> serve(std::shared_ptr<metrics::Registry> registry,
                                                         const std::string& address);

// An access hook counting wascc_http_requests_total{actor,status} and the actor's time per
// request (wascc_http_request_duration_seconds{actor}).
http_server::AccessLog request_counter(std::shared_ptr<metrics::Registry> registry);

}  // namespace wascc::metrics_endpoint
