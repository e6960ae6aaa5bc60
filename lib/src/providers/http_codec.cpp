#include "wascc/providers/http_codec.h"

#include <map>

#include "wascc/actors/actor_codec.h"
#include "wascc/base/ascii.h"
#include "wascc/base/msgpack_reader.h"
#include "wascc/base/msgpack_writer.h"

namespace wascc::http_codec {
namespace {

using Json = jwt::Json;
using Header = std::map<std::string, std::string, std::less<>>;

bool computed_by_server(const std::string& lowered_name) {
  return lowered_name == "content-length" || lowered_name == "transfer-encoding" || lowered_name == "connection";
}

// Names lower-cased, sorted, one value per name (the last one winning): how the codec's maps
// of strings come out of actor_codec too.
Header lowered(const std::multimap<std::string, std::string>& headers) {
  Header header;
  for (const auto& [name, value] : headers) header[ascii::lowercase(name)] = value;
  return header;
}

void write_header(MsgpackWriter& out, const Header& header) {
  out.text("header");
  out.map_header(static_cast<uint32_t>(header.size()));
  for (const auto& [name, value] : header) {
    out.text(name);
    out.text(value);
  }
}

size_t header_bytes(const Header& header) {
  size_t size = 0;
  for (const auto& [name, value] : header) size += name.size() + value.size() + 10;
  return size;
}

// The headers an actor answered, less those the server computes.
void take_headers(const Header& header, HttpResponse& response) {
  for (const auto& [name, value] : header) {
    if (!computed_by_server(ascii::lowercase(name))) response.headers.emplace(name, value);
  }
}

// The common form of a Response, read without a document: a map of statusCode (unsigned),
// status (str), header (map of str) and body (bin or str), other keys skipped. nullopt for
// any other form.
std::optional<HttpResponse> decode_common_response(ByteView wire) {
  msgpack::Cursor in(wire);
  auto fields = in.map_header();
  if (!fields) return std::nullopt;
  std::optional<uint64_t> code;
  bool has_status = false;
  Header header;
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
  take_headers(header, response);
  return response;
}

Header header_of(const Json& document) {
  Header header;
  if (document.contains("header")) {
    for (const auto& [name, value] : document["header"].items())
      header.insert_or_assign(name, value.get<std::string>());
  }
  return header;
}

std::string body_of(const Json& document) {
  if (!document.contains("body")) return {};
  const auto& body = document["body"].get_binary();
  return std::string(body.begin(), body.end());
}

}  // namespace

Bytes encode_request(const HttpRequest& request) {
  const Header header = lowered(request.headers);
  const auto question = request.target.find('?');
  const std::string_view target = request.target;
  MsgpackWriter out;
  out.reserve(64 + request.method.size() + request.target.size() + request.body.size() + header_bytes(header));
  out.map_header(5);
  out.text("method");
  out.text(request.method);
  out.text("path");
  out.text(target.substr(0, question));
  out.text("queryString");
  out.text(question == std::string::npos ? std::string_view() : target.substr(question + 1));
  write_header(out, header);
  out.text("body");
  out.binary(request.body);
  return out.take();
}

Result<HttpRequest> decode_request(ByteView wire) {
  auto document = actor_codec::decode(*actor_codec::find_schema("Request"), wire);
  if (!document) return document.error();
  HttpRequest request;
  // The codec fills a missing field with "": an empty method is GET, as a missing one.
  request.method = document->value("method", std::string());
  if (request.method.empty()) request.method = "GET";
  const std::string query = document->value("queryString", std::string());
  request.target = document->value("path", std::string()) + (query.empty() ? "" : "?" + query);
  for (auto& [name, value] : header_of(*document)) request.headers.emplace(name, std::move(value));
  request.body = body_of(*document);
  return request;
}

Bytes encode_response(const HttpResponse& response, std::string_view status_text) {
  const Header header = lowered(response.headers);
  MsgpackWriter out;
  out.reserve(64 + status_text.size() + response.body.size() + header_bytes(header));
  out.map_header(4);
  out.text("statusCode");
  out.unsigned_integer(static_cast<uint64_t>(response.status));
  out.text("status");
  out.text(status_text);
  write_header(out, header);
  out.text("body");
  out.binary(response.body);
  return out.take();
}

Result<HttpResponse> decode_response(ByteView wire) {
  if (auto common = decode_common_response(wire)) return std::move(*common);
  auto document = actor_codec::decode(*actor_codec::find_schema("Response"), wire);
  if (!document) return document.error();
  HttpResponse response;
  const auto code = document->value("statusCode", uint64_t{0});
  if (code < 100 || code > 999) return invalid_error("the actor answered status code " + std::to_string(code));
  response.status = static_cast<int>(code);
  take_headers(header_of(*document), response);
  response.body = body_of(*document);
  return response;
}

}  // namespace wascc::http_codec
