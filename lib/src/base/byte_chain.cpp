#include "wascc/base/byte_chain.h"

namespace wascc {

void ByteChain::append_view(ByteView view) {
  if (view.empty()) return;
  pieces_.push_back(view);
  size_ += view.size();
}

void ByteChain::append_owned(Bytes bytes) {
  if (bytes.empty()) return;
  owned_.push_back(std::move(bytes));
  append_view(owned_.back());
}

void ByteChain::append_chain(ByteChain&& other) {
  // Moving a vector keeps its heap buffer, so the views into other's owned pieces stay valid.
  for (auto& owned : other.owned_) owned_.push_back(std::move(owned));
  pieces_.insert(pieces_.end(), other.pieces_.begin(), other.pieces_.end());
  size_ += other.size_;
  other = ByteChain();
}

Bytes ByteChain::flatten() const {
  Bytes out;
  out.reserve(size_);
  for (const auto& piece : pieces_) out.insert(out.end(), piece.begin(), piece.end());
  return out;
}

}  // namespace wascc
