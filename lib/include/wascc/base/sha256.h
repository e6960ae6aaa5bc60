// SHA-256, the module hash of every wascap era.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"

namespace wascc::sha256 {

using Digest = std::array<uint8_t, 32>;

Digest hash(ByteView data);

// Incremental hashing, for inputs assembled from pieces without copying them together.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  void update(ByteView data);
  Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Upper-case hex of the digest, as wascap writes `wascap.hash`.
std::string hash_hex_upper(ByteView data);
// The same over a byte string given as consecutive pieces.
std::string hash_hex_upper(const std::vector<ByteView>& pieces);

}  // namespace wascc::sha256
