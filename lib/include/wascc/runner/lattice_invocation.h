// One call between runners of a lattice, as it travels over NATS: the msgpack Invocation of
// waSCC's lattice ({origin, target, operation, msg, id, encoded_claims, host_id}) plus the
// caller's deadline, and its InvocationResponse {msg, error, invocation_id}. `encoded_claims`
// is a wascap invocation token signed with the cluster key: its `wascap.hash` is the upper-hex
// SHA-256 of origin URL, target URL (with "/operation") and msg, so none of them can be changed
// in flight, and its `exp` bounds the deadline.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::lattice_invocation {

// Entity URLs as waSCC wrote them: wasmbus://M... for an actor, and for a capability
// wasmbus://{contract: ':' -> '/', ' ' -> '_', lower case}/{binding}.
std::string actor_url(const std::string& actor);
std::string capability_url(const std::string& contract_id, const std::string& binding);

struct Invocation {
  std::string origin;     // entity URL of the caller
  std::string target;     // entity URL of the callee
  std::string operation;  // e.g. HandleRequest
  Bytes msg;
  std::string id;              // a nuid, kept across retries
  std::string encoded_claims;  // the invocation token
  std::string host_id;         // the calling runner's server key (N...)
  uint64_t deadline_ms = 0;    // Unix milliseconds: no receiver starts the call after it
};

struct Signer {
  nkeys::KeyPair cluster_key;  // C...
  std::string host_id;         // N...
};

// A new invocation with a fresh id, signed by the cluster key. A retry sends the same bytes
// again (same id, same deadline), so a receiver that already ran it answers from its ledger.
Invocation make(const Signer& signer, std::string origin, std::string target, std::string operation, Bytes msg,
                uint64_t deadline_ms);

Bytes encode(const Invocation& invocation);
// Errors: "lattice invocation: ..." naming the field or the msgpack fault. Fields not named
// above are skipped (a newer peer may add some).
Result<Invocation> decode(ByteView wire);

struct Response {
  Bytes msg;
  std::string error;  // empty: success
  std::string invocation_id;
  std::string failure;  // when error: how the call failed (wapc::failure_kind_name), or "refused"
};
Bytes encode_response(const Response& response);
Result<Response> decode_response(ByteView wire);

// What a receiver expects of an invocation before it looks at who sent it.
struct Expectations {
  std::vector<std::string> cluster_issuers;  // C... keys whose invocations are accepted
  std::string target;                        // the entity URL this subscription serves
  uint64_t now_ms = 0;
};

// The checks that need nothing but the invocation, in this order, each with its own error:
// token, signature, issuer, hash (and the token's URLs), target, expiry. Replay and the
// origin's claims are the receiver's (invocation_ledger.h, lattice.h).
Status verify(const Invocation& invocation, const Expectations& expected);

}  // namespace wascc::lattice_invocation
