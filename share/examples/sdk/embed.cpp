// Embedding the wascc host: load a signed actor (claims verified), give it a key-value store,
// invoke it, print the reply. Build against an installed wascc: see CMakeLists.txt here.
// Usage: embed ACTOR.wasm OPERATION [PAYLOAD]
#include <cstdio>
#include <string>

#include "wascc/actors/actor_host.h"
#include "wascc/base/bytes_io.h"
#include "wascc/providers/provider_catalog.h"

int main(int argc, char** argv) {
  if (argc < 3) return std::fprintf(stderr, "usage: embed ACTOR.wasm OPERATION [PAYLOAD]\n"), 2;
  wascc::actor_host::Host host({});
  (void)host.add_provider(*wascc::provider_catalog::make("wascc:keyvalue", {}));
  auto wasm = wascc::InputFile::open(argv[1]);
  auto actor = wasm ? host.add_actor(wasm->bytes(), argv[1]) : wascc::Result<std::string>(wasm.error());
  if (!actor) return std::fprintf(stderr, "embed: %s\n", actor.error().message.c_str()), 1;
  (void)host.bind(*actor, "wascc:keyvalue", "default", {});  // refused unless its claims list it
  const std::string payload = argc > 3 ? argv[3] : "";
  auto reply = host.call_actor(*actor, argv[2],
                               wascc::ByteView(reinterpret_cast<const uint8_t*>(payload.data()), payload.size()));
  if (!reply) return std::fprintf(stderr, "embed: %s\n", reply.error().message.c_str()), 1;
  std::fwrite(reply->data(), 1, reply->size(), stdout);
  return 0;
}
