// The wire of waSCC actors (codec 0.6-0.8, "dialect B"): each operation's payload is one
// msgpack map keyed by camelCase field names in declaration order, integers in their
// smallest form, bytes as bin. Decoding is as lenient as the real actors' decoders: a map by
// name or an array by position, bytes as bin or as an array of ints, integers of any width,
// unknown keys ignored, defaulted fields (maps, lists, bodies) optional.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/wascap/jwt.h"
#include "wascc/base/result.h"

namespace wascc::actor_codec {

enum class FieldType { String, OptionalString, Bool, U32, U64, I32, I64, Binary, StringMap, StringList };

struct Field {
  std::string name;
  FieldType type;
  bool defaulted = false;  // may be absent when decoding (serde `default`)
};

struct MessageSchema {
  std::string name;
  std::vector<Field> fields;
};

// The schema of a named message ("Request", "Response", "BrokerMessage", "SetRequest", ...),
// or nullptr for an unknown name.
const MessageSchema* find_schema(std::string_view name);
std::vector<std::string> schema_names();

// JSON (as scripts write it) to the wire. Bytes fields take a string (its UTF-8 bytes), an
// array of ints, or a JSON binary; absent fields take their zero value.
Result<Bytes> encode(const MessageSchema& schema, const jwt::Json& value);

// The first msgpack value of `wire` as JSON (bytes following it are ignored, as rmp-serde and
// AssemblyScript's decoder ignore them: AssemblyScript actors answer with a trailing zero).
// Nesting is limited (msgpack_reader.h).
Result<jwt::Json> first_msgpack_value(ByteView wire);

// The wire to JSON: bytes fields come back as JSON binary values.
Result<jwt::Json> decode(const MessageSchema& schema, ByteView wire);

// Any msgpack payload as JSON for people and scripts: bin values that are UTF-8 text become
// strings, other bin values arrays of byte values. nullopt when the bytes are not exactly one
// msgpack value.
std::optional<jwt::Json> readable_json(ByteView msgpack);

}  // namespace wascc::actor_codec
