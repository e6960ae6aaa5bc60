// A byte string described as a sequence of ranges: views into a larger buffer (a mapped
// module) plus small owned pieces (re-encoded section headers). Lets the signer and the
// verifier hash and write "the module without its claims" without copying the module.
#pragma once

#include <deque>
#include <vector>

#include "wascc/base/bytes_io.h"

namespace wascc {

class ByteChain {
 public:
  // A view into memory the caller keeps alive for the chain's lifetime.
  void append_view(ByteView view);
  // Bytes the chain owns (small headers).
  void append_owned(Bytes bytes);
  // Moves `other`'s pieces onto the end of this chain.
  void append_chain(ByteChain&& other);

  const std::vector<ByteView>& pieces() const { return pieces_; }
  size_t size() const { return size_; }
  Bytes flatten() const;

 private:
  std::vector<ByteView> pieces_;
  std::deque<Bytes> owned_;  // deque: growing it never moves the buffers pieces_ point into
  size_t size_ = 0;
};

}  // namespace wascc
