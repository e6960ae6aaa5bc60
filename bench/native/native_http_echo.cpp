// A limit for bench/http_bench.py: the HTTP echo of share/examples/actors/http_echo.c as a
// plain native handler on the same server as wascc:http_server (http_listener.h), so the
// difference to the actor is the actor's cost alone.
// Usage: native_http_echo PORT [THREADS]   (serves 127.0.0.1:PORT until killed)
#include <csignal>
#include <cstdio>
#include <string>

#include "wascc/providers/http_listener.h"

namespace {

void append_json_string(std::string& out, const std::string& value) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: native_http_echo PORT [THREADS]\n");
    return 2;
  }
  using namespace wascc::http_server;
  auto echo = [](HttpRequest& request) {
    const auto question = request.target.find('?');
    std::string json = "{\"method\":";
    append_json_string(json, request.method);
    json += ",\"path\":";
    append_json_string(json, request.target.substr(0, question));
    json += ",\"query_string\":";
    append_json_string(json, question == std::string::npos ? std::string() : request.target.substr(question + 1));
    json += ",\"body\":";
    append_json_string(json, request.body);
    json += "}";
    return HttpResponse{200, {{"content-type", "application/json"}}, std::move(json)};
  };
  sigset_t stop;  // blocked before the server's threads start, which inherit the mask
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  ListenerOptions options;
  options.port = std::stoi(argv[1]);
  if (argc > 2) options.threads = std::stoi(argv[2]);
  auto server = HttpListener::start(options, echo);
  if (!server) {
    std::fprintf(stderr, "native_http_echo: %s\n", server.error().message.c_str());
    return 1;
  }
  int received = 0;
  sigwait(&stop, &received);
  return 0;
}
