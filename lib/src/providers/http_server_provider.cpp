#include "wascc/providers/http_server_provider.h"

#include <charconv>

#include "wascc/actors/actor_codec.h"
#include "wascc/base/ascii.h"
#include "wascc/base/msgpack_reader.h"
#include "wascc/base/msgpack_writer.h"

namespace wascc::http_server {
namespace {

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
  size_t size = 64 + request.method.size() + request.target.size() + request.body.size();
  for (const auto& [name, value] : request.headers) {
    header[ascii::lowercase(name)] = value;
    size += name.size() + value.size() + 10;
  }
  const auto question = request.target.find('?');
  const std::string_view target = request.target;
  MsgpackWriter out;
  out.reserve(size);
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

namespace {

// The common form of a Response, read without a document: a map of statusCode (unsigned),
// status (str), header (map of str) and body (bin or str), other keys skipped. Anything else
// (positional arrays, byte arrays as lists of ints, ...) is left to actor_codec, which gives
// the same result for these; nullopt then.
std::optional<HttpResponse> decode_common_response(ByteView reply) {
  msgpack::Cursor in(reply);
  auto fields = in.map_header();
  if (!fields) return std::nullopt;
  std::optional<uint64_t> code;
  bool has_status = false;
  std::map<std::string, std::string, std::less<>> header;  // one value per name, the last winning
  HttpResponse response;
  for (uint32_t i = 0; i < *fields; ++i) {
    auto key = in.text();
    if (!key) return std::nullopt;
    if (*key == "statusCode") {
      code = in.unsigned_integer();
      if (!code) return std::nullopt;
    } else if (*key == "status") {
      if (!in.text()) return std::nullopt;
      has_status = true;
    } else if (*key == "header") {
      auto entries = in.map_header();
      if (!entries) return std::nullopt;
      header.clear();
      for (uint32_t j = 0; j < *entries; ++j) {
        auto name = in.text();
        auto value = name ? in.text() : std::nullopt;
        if (!value) return std::nullopt;
        header.insert_or_assign(std::string(*name), std::string(*value));
      }
    } else if (*key == "body") {
      auto body = in.binary_or_text();
      if (!body) return std::nullopt;
      response.body.assign(body->begin(), body->end());
    } else if (!in.skip()) {
      return std::nullopt;
    }
  }
  if (!code || !has_status || *code < 100 || *code > 999) return std::nullopt;
  response.status = static_cast<int>(*code);
  for (auto& [name, value] : header) {
    if (!computed_by_server(ascii::lowercase(name))) response.headers.emplace(name, std::move(value));
  }
  return response;
}

}  // namespace

Result<HttpResponse> decode_response(ByteView reply) {
  if (auto common = decode_common_response(reply)) return std::move(*common);
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

Provider::Provider(Notice notice, AccessLog access) : notice_(std::move(notice)), access_(std::move(access)) {}

HttpResponse Provider::answer_and_log(const std::string& actor, HttpRequest& request) {
  if (!access_) return answer(actor, request);
  const auto started = std::chrono::steady_clock::now();
  HttpResponse response = answer(actor, request);
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
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
  auto reply = dispatcher_ ? dispatcher_(actor, "HandleRequest", encode_request(request))
                           : Result<Bytes, wapc::CallFailure>(wapc::CallFailure{wapc::FailureKind::Unavailable, "no dispatcher", {}});
  const auto log_failure = [&](const std::string& message) {
    if (notice_) notice_("wascc:http_server: " + request.method + " " + request.target + " -> " + actor + ": " + message);
  };
  if (!reply) {
    log_failure(reply.error().message);
    return failure_response(reply.error());
  }
  auto response = decode_response(*reply);
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
  auto server = HttpListener::start(options, [this, actor](HttpRequest& request) { return answer_and_log(actor, request); });
  if (!server) return input_error("wascc:http_server: " + server.error().message);
  if (notice_) notice_("wascc:http_server: http://" + options.address + ":" + std::to_string((*server)->port()) + " -> " + actor);
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
