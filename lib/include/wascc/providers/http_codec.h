// The wascc:http_server and wascc:http_client contract's codec: an HTTP request and an HTTP
// response as the actor codec's Request and Response (msgpack maps), in both directions. The
// server encodes requests and decodes responses; the client decodes requests and encodes
// responses; each pair round-trips. Encoders write msgpack directly (the same bytes as
// actor_codec::encode); decoders read the common map form directly and leave any other form an
// actor may write (positional arrays, byte arrays as lists of ints) to actor_codec.
#pragma once

#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/providers/http_listener.h"

namespace wascc::http_codec {

using http_server::HttpRequest;
using http_server::HttpResponse;

// Header names lower-cased, one value per name (the last one winning); path and query as sent,
// split at the first '?'.
Bytes encode_request(const HttpRequest& request);
// A missing or empty method is GET; the target is the path, then '?' and the query when there is one.
Result<HttpRequest> decode_request(ByteView wire);

// `status_text` is the reason phrase ("OK"); header names lower-cased as for requests.
Bytes encode_response(const HttpResponse& response, std::string_view status_text);
// Headers a server computes itself (content-length, transfer-encoding, connection) are
// dropped; a status code outside 100..999 is an error.
Result<HttpResponse> decode_response(ByteView wire);

}  // namespace wascc::http_codec
