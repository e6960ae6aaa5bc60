#include "wascc/providers/http_server_provider.h"

#include <charconv>

#include "wascc/providers/http_codec.h"

namespace wascc::http_server {
namespace {

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

Provider::Provider(Notice notice, AccessLog access) : notice_(std::move(notice)), access_(std::move(access)) {}

HttpResponse Provider::answer_and_log(const std::string& actor, HttpRequest& request) {
  if (!access_) return answer(actor, request);
  const auto started = std::chrono::steady_clock::now();
  HttpResponse response = answer(actor, request);
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
  access_(AccessRecord{request.method, request.target, actor, response.status, response.body.size(), elapsed});
  return response;
}
Provider::~Provider() { stop(); }

namespace {

// A failed call as HTTP: a deadline is the gateway's timeout, no free instance a retryable 503.
HttpResponse failure_response(const wapc::CallFailure& failure) {
  if (failure.kind == wapc::FailureKind::Limit && failure.limit == limits::LimitKind::Deadline) {
    return HttpResponse{504, {}, "The actor did not answer in time"};
  }
  if (failure.kind == wapc::FailureKind::Unavailable) {
    return HttpResponse{503, {{"retry-after", "1"}}, "The actor is busy"};
  }
  return HttpResponse{500, {}, "Failed to handle request"};  // wascc-httpsrv's answer to any failure
}

}  // namespace

HttpResponse Provider::answer(const std::string& actor, HttpRequest& request) {
  auto reply =
      dispatcher_
          ? dispatcher_(actor, "HandleRequest", http_codec::encode_request(request))
          : Result<Bytes, wapc::CallFailure>(wapc::CallFailure{wapc::FailureKind::Unavailable, "no dispatcher", {}});
  const auto log_failure = [&](const std::string& message) {
    if (notice_)
      notice_("wascc:http_server: " + request.method + " " + request.target + " -> " + actor + ": " + message);
  };
  if (!reply) {
    log_failure(reply.error().message);
    return failure_response(reply.error());
  }
  auto response = http_codec::decode_response(*reply);
  if (!response) {
    log_failure(response.error().message);
    return HttpResponse{500, {}, "Failed to handle request"};
  }
  // The actor's reply is the whole response: a Range header reaches the actor but the server
  // never slices the reply itself (2,000 overlapping ranges of a 4 MB body once built 8 GB).
  return std::move(*response);
}

Status Provider::bind_actor(const std::string& actor, const BindingValues& values) {
  auto port = port_value(values);
  if (!port) return port.error();
  ListenerOptions options;
  options.address = values.count("ADDRESS") ? values.at("ADDRESS") : std::string("127.0.0.1");
  options.port = *port;
  auto server =
      HttpListener::start(options, [this, actor](HttpRequest& request) { return answer_and_log(actor, request); });
  if (!server) return input_error("wascc:http_server: " + server.error().message);
  if (notice_)
    notice_("wascc:http_server: http://" + options.address + ":" + std::to_string((*server)->port()) + " -> " + actor);
  std::unique_ptr<HttpListener> replaced;
  {
    std::lock_guard lock(mutex_);
    replaced = std::move(servers_[actor]);
    servers_[actor] = std::move(*server);
  }
  if (replaced) replaced->stop();
  return ok_status();
}

void Provider::remove_actor(const std::string& actor) {
  std::unique_ptr<HttpListener> server;
  {
    std::lock_guard lock(mutex_);
    auto found = servers_.find(actor);
    if (found == servers_.end()) return;
    server = std::move(found->second);
    servers_.erase(found);
  }
  server->stop();  // requests in flight are answered first
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
  return found == servers_.end() ? 0 : found->second->port();
}

}  // namespace wascc::http_server
