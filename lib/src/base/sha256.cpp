#include "wascc/base/sha256.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>

#include "wascc/base/encoding.h"

// Two implementations, chosen by size. libcrypto dispatches to the CPU's SHA extensions
// (~1.5 GB/s here against ~190 MB/s for libsodium 1.0.18), and the hash is the hot path of
// signing and verifying large modules (bench/sign_bench.py); but its first use initialises
// OpenSSL (configuration, providers), ~0.7 ms that a cold `wapc call` cannot afford
// (bench/aot_bench.py). Below kLargeInput libsodium hashes faster than that start-up costs.
namespace wascc::sha256 {
namespace {
constexpr size_t kLargeInput = 1 << 20;
}

// Starts on libsodium and moves to libcrypto once a large piece arrives (before hashing
// anything with it: the partial state cannot move between the two, so the pieces seen so
// far are kept until the switch).
struct Hasher::State {
  crypto_hash_sha256_state small{};
  EVP_MD_CTX* large = nullptr;
  std::vector<Bytes> early;  // pieces hashed by libsodium so far, replayed on a switch
  size_t early_bytes = 0;
  bool libcrypto_refused = false;  // libsodium alone from then on
};

Hasher::Hasher() : state_(std::make_unique<State>()) { crypto_hash_sha256_init(&state_->small); }

Hasher::~Hasher() {
  if (state_->large != nullptr) EVP_MD_CTX_free(state_->large);
}

void Hasher::update(ByteView data) {
  if (data.empty()) return;
  State& state = *state_;
  if (state.large == nullptr && !state.libcrypto_refused && state.early_bytes + data.size() >= kLargeInput) {
    state.large = EVP_MD_CTX_new();
    if (state.large == nullptr || EVP_DigestInit_ex(state.large, EVP_sha256(), nullptr) != 1) {
      // libsodium has seen every byte so far: it goes on alone (slower, the same digest).
      if (state.large != nullptr) EVP_MD_CTX_free(state.large);
      state.large = nullptr;
      state.libcrypto_refused = true;
      state.early.clear();
    } else {
      for (const auto& piece : state.early) EVP_DigestUpdate(state.large, piece.data(), piece.size());
      state.early.clear();
    }
  }
  if (state.large != nullptr) {
    EVP_DigestUpdate(state.large, data.data(), data.size());
    return;
  }
  crypto_hash_sha256_update(&state.small, data.data(), data.size());
  if (state.libcrypto_refused) return;
  state.early.emplace_back(data.begin(), data.end());
  state.early_bytes += data.size();
}

Digest Hasher::finish() {
  Digest digest{};
  if (state_->large != nullptr) {
    unsigned length = 0;
    EVP_DigestFinal_ex(state_->large, digest.data(), &length);
  } else {
    crypto_hash_sha256_final(&state_->small, digest.data());
  }
  return digest;
}

Digest hash(ByteView data) {
  if (data.size() < kLargeInput) {
    Digest digest{};
    crypto_hash_sha256(digest.data(), data.data(), data.size());
    return digest;
  }
  Digest digest{};
  unsigned length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    crypto_hash_sha256(digest.data(), data.data(), data.size());  // libsodium: slower, the same digest
  }
  return digest;
}

std::string hash_hex_upper(ByteView data) { return encoding::hex_upper(hash(data)); }

std::string hash_hex_upper(const std::vector<ByteView>& pieces) {
  Hasher hasher;
  for (const auto& piece : pieces) hasher.update(piece);
  return encoding::hex_upper(hasher.finish());
}

}  // namespace wascc::sha256
