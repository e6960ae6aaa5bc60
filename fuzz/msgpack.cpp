// msgpack from guests and peers: the extent reader every decoder asks first, the general
// decoder (every contract schema), the Cursor's fast path, and the contracts' own decoders
// (an HTTP reply, a messaging Publish or Request).
#include "fuzz_input.h"
#include "wascc/providers/http_codec.h"
#include "wascc/actors/actor_codec.h"
#include "wascc/base/msgpack_reader.h"
#include "wascc/providers/http_server_provider.h"
#include "wascc/providers/messaging_contract.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  const auto wire = fuzz::bytes(data, size);
  auto extent = msgpack::value_extent(wire);
  if (extent && *extent > wire.size()) __builtin_trap();
  (void)actor_codec::first_msgpack_value(wire);
  (void)actor_codec::readable_json(wire);
  for (const auto& name : actor_codec::schema_names()) {
    if (const auto* schema = actor_codec::find_schema(name)) (void)actor_codec::decode(*schema, wire);
  }
  msgpack::Cursor cursor(wire);
  if (auto entries = cursor.map_header()) {
    for (uint32_t i = 0; i < *entries && i < 64; ++i) {
      if (!cursor.text() || !cursor.skip()) break;
    }
  }
  if (cursor.offset() > wire.size()) __builtin_trap();
  (void)http_codec::decode_response(wire);
  // What the client decodes, it must encode to the same request again.
  if (auto request = http_codec::decode_request(wire)) {
    auto again = http_codec::decode_request(http_codec::encode_request(*request));
    if (!again || again->method != request->method || again->body != request->body) __builtin_trap();
  }
  (void)messaging_contract::decode_publish(wire);
  (void)messaging_contract::decode_request(wire);
  return 0;
}
