// The short texts a command line or a peer hands over: revocation lists, registry
// references, URLs and redirects, Redis URLs, timeouts and time specs, scenario body_regex
// patterns (the first byte picks).
#include <string>

#include "fuzz_input.h"
#include "wascc/base/encoding.h"
#include "wascc/base/unix_time.h"
#include "wascc/engine/limits.h"
#include "wascc/providers/http_client_provider.h"
#include "wascc/providers/keyvalue_redis.h"
#include "wascc/runner/oci_registry.h"
#include "wascc/testing/expectations.h"
#include "wascc/wascap/revocation_list.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 65536) return -1;
  const auto text = fuzz::text(data + 1, size - 1);
  switch (data[0] % 8) {
    case 0: (void)revocation_list::parse(text, "fuzz.txt"); break;
    case 1: (void)oci_registry::parse_reference(text); break;
    case 2:
      if (auto url = http_client::parse_url(text))
        (void)http_client::resolve_location(*url, text.substr(text.size() / 2));
      break;
    case 3: (void)keyvalue_redis::parse_url(text); break;
    case 4: (void)limits::parse_timeout(text); break;
    case 5: (void)unix_time::parse_time_spec(text, 1800000000); break;
    case 6:
      (void)expectations::regex_search("body", std::string(text), "{\"counter\":42} aaaaaaaaaaaaaaaaaaaaaaaa!");
      break;
    default:
      (void)encoding::base64url_decode(text);
      (void)encoding::base64_decode(text);
      (void)encoding::base32_decode(text);
  }
  return 0;
}
