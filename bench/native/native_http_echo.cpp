// The limit for bench/http_bench.py: the HTTP echo of share/examples/actors/http_echo.c as a
// plain native handler on the same HTTP library and settings as wascc:http_server.
// Usage: native_http_echo PORT   (serves 127.0.0.1:PORT until killed)
#include <httplib.h>

#include <cstdio>
#include <string>

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
  if (argc != 2) {
    std::fprintf(stderr, "usage: native_http_echo PORT\n");
    return 2;
  }
  httplib::Server server;
  server.set_keep_alive_max_count(10000);
  server.set_tcp_nodelay(true);
  server.set_socket_options([](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  auto echo = [](const httplib::Request& request, httplib::Response& response) {
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
    response.status = 200;
    response.headers.emplace("content-type", "application/json");
    response.body = std::move(json);
  };
  server.Get(".*", echo);
  server.Post(".*", echo);
  if (!server.listen("127.0.0.1", std::stoi(argv[1]))) {
    std::fprintf(stderr, "native_http_echo: cannot listen on 127.0.0.1:%s\n", argv[1]);
    return 1;
  }
  return 0;
}
