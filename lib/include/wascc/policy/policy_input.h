// The input documents policies see (../shared/spec/opa-wasm.md §2): a superset of wasmCloud's
// policy service v1 shape, so its example policies run unchanged. "startComponent" when a
// module is verified or an actor loaded; "performInvocation" for each host call. Payload bytes
// are never included, which keeps per-call decisions cacheable.
#pragma once

#include <optional>
#include <string>

#include "wascc/base/bytes_io.h"
#include "wascc/wascap/claims.h"
#include "wascc/wascap/jwt.h"
#include "wascc/wascap/module_verification.h"

namespace wascc::policy_input {

// request.claims: wasmCloud's fields first (issuedAt as a string, as theirs), then ours; null
// for an unsigned module.
jwt::Json claims_object(const std::optional<claims::ModuleClaims>& claims, uint64_t now);

jwt::Json start_component(const module_verification::Report& report, const std::string& path, ByteView module,
                          uint64_t now);

struct Invocation {
  std::string origin_key;  // the calling actor
  std::optional<claims::ModuleClaims> origin_claims;
  std::string interface;                    // contract id, actor key or call alias
  std::string function;                     // operation
  std::string link;                         // binding
  std::optional<std::string> target_actor;  // set when the callee is an actor
  std::optional<claims::ModuleClaims> target_claims;
};
jwt::Json perform_invocation(const Invocation& invocation, uint64_t now);

}  // namespace wascc::policy_input
