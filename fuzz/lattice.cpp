// What a lattice member reads from NATS, from any peer: invocations (then the receiver's
// checks), responses, and heartbeats (then the registry, which verifies each claims token).
// A decoded invocation must encode to one that decodes the same again.
#include "fuzz_input.h"
#include "wascc/runner/lattice_invocation.h"
#include "wascc/runner/lattice_registry.h"

using namespace wascc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > fuzz::kMaxInput) return -1;
  const auto wire = fuzz::bytes(data, size);
  if (auto call = lattice_invocation::decode(wire)) {
    (void)lattice_invocation::verify(*call, {{"CAKEY"}, call->target, call->deadline_ms / 2});
    auto again = lattice_invocation::decode(lattice_invocation::encode(*call));
    if (!again || again->msg != call->msg || again->id != call->id || again->deadline_ms != call->deadline_ms) {
      __builtin_trap();
    }
  }
  (void)lattice_invocation::decode_response(wire);
  if (auto record = lattice_registry::decode_heartbeat(wire)) {
    lattice_registry::Registry registry({});
    (void)registry.heard(*record);
    (void)lattice_registry::decode_heartbeat(as_bytes(lattice_registry::encode_heartbeat(*record)));
  }
  return 0;
}
