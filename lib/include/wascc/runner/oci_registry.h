// Signed actors in an OCI registry, as wash stores them (`wash reg push/pull`): an OCI image
// manifest whose one layer is the module (application/vnd.module.wasm.content.layer.v1+wasm) with
// a config of application/vnd.wasmcloud.actor.archive.config, over the OCI distribution API.
// http:// only for loopback registries unless `insecure`; https:// otherwise. Anonymous access
// only (no bearer-token or basic auth yet). Every blob is checked against its digest.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "wascc/base/bytes_io.h"
#include "wascc/base/result.h"

namespace wascc::oci_registry {

inline constexpr std::string_view kWasmLayerMediaType = "application/vnd.module.wasm.content.layer.v1+wasm";
inline constexpr std::string_view kActorConfigMediaType = "application/vnd.wasmcloud.actor.archive.config";
inline constexpr std::string_view kManifestMediaType = "application/vnd.oci.image.manifest.v1+json";

// registry/repository[:tag][@sha256:digest], e.g. "localhost:5000/echo:0.1.0". The registry
// is the part before the first '/', and must look like a host (a dot, a port or "localhost").
struct Reference {
  std::string registry;
  std::string repository;
  std::string tag = "latest";
  std::string digest;  // "sha256:..." when given: what the manifest must hash to
  std::string text() const;
};
Result<Reference> parse_reference(std::string_view text);

struct Options {
  bool insecure = false;           // http:// to a registry that is not on loopback
  uint64_t max_bytes = 64u << 20;  // a module larger than this is refused, before it is read
  std::chrono::seconds timeout{30};
};

struct Pushed {
  std::string manifest_digest;  // sha256:...
  std::string layer_digest;
};
Result<Pushed> push(const Reference& reference, ByteView wasm, const Options& options = {});

// The module the reference names, its digest checked (the claims are the caller's to verify).
Result<Bytes> pull(const Reference& reference, const Options& options = {});

}  // namespace wascc::oci_registry
