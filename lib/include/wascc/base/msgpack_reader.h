// Where one msgpack value ends, found without recursion. Every decoder of msgpack from a
// guest or a peer asks this first: nlohmann's reader recurses once per nesting level (a reply
// of 100,000 nested arrays overflowed the host's stack), and real decoders (rmp-serde,
// AssemblyScript's msgpack) read one value and ignore what follows it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::msgpack {

// Nesting the actor contracts never come near; deep enough for any document a script sends.
inline constexpr size_t kDefaultMaxDepth = 512;

// The length in bytes of the first msgpack value in `bytes` (at most bytes.size(); trailing
// bytes are the caller's to ignore). Errors: "truncated msgpack value at byte N",
// "invalid msgpack byte 0xc1 at byte N", "msgpack nested deeper than 512 levels".
Result<size_t> value_extent(ByteView bytes, size_t max_depth = kDefaultMaxDepth);

// Reads a message of a known shape value by value, without building a document: the hot path
// of a contract (an HTTP response per request). Each read returns nullopt and consumes nothing
// when the next value is not of the kind asked for (or is truncated), so the caller can fall
// back to a general decoder.
class Cursor {
 public:
  explicit Cursor(ByteView bytes) : bytes_(bytes) {}
  explicit Cursor(Bytes&&) = delete;  // it would read a temporary that is gone
  std::optional<uint32_t> map_header();
  std::optional<std::string_view> text();      // str
  std::optional<ByteView> binary_or_text();    // bin or str
  std::optional<uint64_t> unsigned_integer();  // positive fixint, uint 8-64, non-negative int 8-64
  bool skip();                                 // any one value (value_extent)
  size_t offset() const { return at_; }

 private:
  std::optional<ByteView> sized(uint8_t first_fix, uint8_t last_fix, uint8_t width8);
  ByteView bytes_;
  size_t at_ = 0;
};

}  // namespace wascc::msgpack
