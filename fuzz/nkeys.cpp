// Keys from outside: seeds (`--issuer SA...`, key files) and public keys (`--allow-issuer`,
// a token's iss and sub).
#include <string>

#include "fuzz_input.h"
#include "wascc/wascap/nkeys.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return -1;
  const auto text = fuzz::text(data, size);
  if (auto pair = nkeys::KeyPair::from_seed(text)) (void)pair->public_key();
  (void)nkeys::decode_public_key(text);
  return 0;
}
