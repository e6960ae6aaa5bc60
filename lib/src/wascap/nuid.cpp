#include "wascc/wascap/nuid.h"

#include <sodium.h>

#include <mutex>

#include "wascc/wascap/nkeys.h"

namespace wascc::nuid {
namespace {

constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr uint64_t kBase = 62;
constexpr size_t kPrefixLength = 12;
constexpr size_t kSequenceLength = 10;
constexpr uint64_t kMaxSequence = 839299365868340224ULL;  // 62^10

struct Generator {
  std::mutex mutex;
  std::string prefix;
  uint64_t sequence = 0;
  uint64_t increment = 0;

  void reseed() {
    prefix.clear();
    for (size_t i = 0; i < kPrefixLength; ++i) prefix.push_back(kDigits[randombytes_uniform(kBase)]);
    sequence = (static_cast<uint64_t>(randombytes_random()) << 32 | randombytes_random()) % kMaxSequence;
    increment = 33 + randombytes_uniform(333 - 33);
  }
};

}  // namespace

std::string next() {
  nkeys::ensure_crypto_ready();
  static Generator generator;
  std::lock_guard lock(generator.mutex);
  if (generator.prefix.empty()) generator.reseed();
  generator.sequence += generator.increment;
  if (generator.sequence >= kMaxSequence) generator.reseed();
  std::string id = generator.prefix;
  id.resize(kPrefixLength + kSequenceLength);
  uint64_t value = generator.sequence;
  for (size_t i = kPrefixLength + kSequenceLength; i > kPrefixLength; --i) {
    id[i - 1] = kDigits[value % kBase];
    value /= kBase;
  }
  return id;
}

}  // namespace wascc::nuid
