#include "wascc/providers/http_client_provider.h"

#include <httplib.h>

#include <cctype>
#include <charconv>

#include "wascc/providers/http_codec.h"
#include "wascc/base/ascii.h"

namespace wascc::http_client {
namespace {

Result<int> number_value(const BindingValues& values, const std::string& key, int fallback) {
  auto found = values.find(key);
  if (found == values.end()) return fallback;
  int value = -1;
  const std::string& text = found->second;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return input_error("wascc:http_client: " + key + " \"" + text + "\" is not a number");
  }
  return value;
}

std::string authority(const Url& url) { return url.host + ":" + std::to_string(url.port); }

}  // namespace

Result<Url> parse_url(std::string_view text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos)
    return input_error("wascc:http_client: \"" + std::string(text) + "\" is not an absolute URL");
  url.scheme = ascii::lowercase(std::string(text.substr(0, scheme_end)));
  if (url.scheme != "http" && url.scheme != "https") {
    return input_error("wascc:http_client: scheme " + url.scheme + " is not http or https");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?");
  std::string_view host_port = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (url.target.front() == '?') url.target = "/" + url.target;
  if (const auto at = host_port.rfind('@'); at != std::string_view::npos) host_port = host_port.substr(at + 1);
  url.port = url.scheme == "https" ? 443 : 80;
  const auto colon = host_port.rfind(':');
  const auto bracket = host_port.find(']');  // an IPv6 literal's colons are not a port's
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || bracket < colon)) {
    const auto digits = host_port.substr(colon + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), url.port);
    if (error != std::errc() || end != digits.data() + digits.size() || url.port <= 0 || url.port > 65535) {
      return input_error("wascc:http_client: \"" + std::string(text) + "\" has no valid port");
    }
    host_port = host_port.substr(0, colon);
  }
  if (host_port.empty()) return input_error("wascc:http_client: \"" + std::string(text) + "\" has no host");
  url.host = ascii::lowercase(std::string(host_port));
  return url;
}

Result<Url> resolve_location(const Url& base, std::string_view location) {
  if (location.find("://") != std::string_view::npos) return parse_url(location);
  Url next = base;
  if (location.substr(0, 2) == "//") return parse_url(base.scheme + ":" + std::string(location));
  if (!location.empty() && location.front() == '/') {
    next.target = std::string(location);
  } else {  // relative to the current path's directory
    const auto query = base.target.find('?');
    const std::string path = base.target.substr(0, query);
    next.target = path.substr(0, path.rfind('/') + 1) + std::string(location);
  }
  return next;
}

bool Policy::allows(const Url& url) const {
  for (const auto& entry : allowed_hosts) {
    if (entry == "*" || ascii::lowercase(entry) == url.host || ascii::lowercase(entry) == authority(url)) return true;
  }
  return false;
}

Result<Policy> policy_of(const BindingValues& values) {
  Policy policy;
  if (auto hosts = values.find("ALLOWED_HOSTS"); hosts != values.end()) {
    std::string_view rest = hosts->second;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string entry(rest.substr(0, comma));
      entry.erase(0, entry.find_first_not_of(' '));
      entry.erase(entry.find_last_not_of(' ') + 1);
      if (!entry.empty()) policy.allowed_hosts.push_back(entry);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  auto timeout = number_value(values, "timeout", policy.timeout_seconds);
  if (!timeout) return timeout.error();
  auto redirects = number_value(values, "max_redirects", policy.max_redirects);
  if (!redirects) return redirects.error();
  auto max_response = number_value(values, "max_response_bytes", policy.max_response_bytes);
  if (!max_response) return max_response.error();
  policy.timeout_seconds = *timeout;
  policy.max_redirects = *redirects;
  policy.max_response_bytes = *max_response;
  return policy;
}

Status Provider::bind_actor(const std::string& actor, const BindingValues& values) {
  auto policy = policy_of(values);
  if (!policy) return policy.error();
  std::lock_guard lock(mutex_);
  policies_[actor] = std::move(policy.value());
  return ok_status();
}

void Provider::remove_actor(const std::string& actor) {
  std::lock_guard lock(mutex_);
  policies_.erase(actor);
}

Result<Bytes> Provider::handle_call(const std::string& actor, std::string_view operation, ByteView payload) {
  if (operation != "PerformRequest") return input_error("wascc:http_client has no operation " + std::string(operation));
  Policy policy;
  {
    std::lock_guard lock(mutex_);
    auto found = policies_.find(actor);
    if (found == policies_.end()) return input_error("wascc:http_client: actor " + actor + " is not bound");
    policy = found->second;
  }
  auto request = http_codec::decode_request(payload);
  if (!request) return request.error();
  auto url = parse_url(request->target);
  if (!url) return url.error();
  httplib::Request outgoing;
  outgoing.method = std::move(request->method);
  for (auto& [name, value] : request->headers) outgoing.headers.emplace(name, std::move(value));
  outgoing.body = std::move(request->body);
  for (int redirects = 0;; ++redirects) {
    if (!policy.allows(*url)) {
      return invalid_error("wascc:http_client: actor " + actor + " may not reach " + authority(*url) +
                           " (not in the binding's ALLOWED_HOSTS)");
    }
    httplib::Client client(url->scheme + "://" + authority(*url));
    client.set_connection_timeout(policy.timeout_seconds);
    client.set_read_timeout(policy.timeout_seconds);
    client.set_write_timeout(policy.timeout_seconds);
    client.set_follow_location(false);  // followed here, so that each hop is checked
    outgoing.path = url->target;
    // The body is collected here, so that a server streaming gigabytes is cut off at the cap.
    std::string body;
    bool over_cap = false;
    outgoing.content_receiver = [&](const char* data, size_t length, uint64_t, uint64_t) {
      if (body.size() + length > static_cast<size_t>(policy.max_response_bytes)) {
        over_cap = true;
        return false;
      }
      body.append(data, length);
      return true;
    };
    auto answer = client.send(outgoing);
    if (over_cap) {
      return io_error("wascc:http_client: " + outgoing.method + " " + url->scheme + "://" + authority(*url) +
                      url->target + ": response body larger than max_response_bytes (" +
                      std::to_string(policy.max_response_bytes) + ")");
    }
    if (!answer) {
      return io_error("wascc:http_client: " + outgoing.method + " " + url->scheme + "://" + authority(*url) +
                      url->target + ": " + httplib::to_string(answer.error()));
    }
    const bool redirect = answer->status >= 300 && answer->status < 400 && answer->has_header("Location");
    if (redirect && redirects < policy.max_redirects) {
      auto next = resolve_location(*url, answer->get_header_value("Location"));
      if (!next) return next.error();
      url = std::move(next);
      if (answer->status == 303 || ((answer->status == 301 || answer->status == 302) && outgoing.method == "POST")) {
        outgoing.method = "GET";  // as browsers and reqwest do
        outgoing.body.clear();
      }
      continue;
    }
    http_codec::HttpResponse response{
        answer->status, {answer->headers.begin(), answer->headers.end()}, std::move(body)};
    return http_codec::encode_response(response, answer->reason);
  }
}

}  // namespace wascc::http_client
