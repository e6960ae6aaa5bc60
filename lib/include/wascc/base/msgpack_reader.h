// Where one msgpack value ends, found without recursion. Every decoder of msgpack from a
// guest or a peer asks this first: nlohmann's reader recurses once per nesting level (a reply
// of 100,000 nested arrays overflowed the host's stack), and real decoders (rmp-serde,
// AssemblyScript's msgpack) read one value and ignore what follows it.
#pragma once

#include <cstddef>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::msgpack {

// Nesting the actor contracts never come near; deep enough for any document a script sends.
inline constexpr size_t kDefaultMaxDepth = 512;

// The length in bytes of the first msgpack value in `bytes` (at most bytes.size(); trailing
// bytes are the caller's to ignore). Errors: "truncated msgpack value at byte N",
// "invalid msgpack byte 0xc1 at byte N", "msgpack nested deeper than 512 levels".
Result<size_t> value_extent(ByteView bytes, size_t max_depth = kDefaultMaxDepth);

}  // namespace wascc::msgpack
