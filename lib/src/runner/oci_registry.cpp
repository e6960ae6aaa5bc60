#include "wascc/runner/oci_registry.h"

#include <httplib.h>

#include "wascc/base/ascii.h"
#include "wascc/base/encoding.h"
#include "wascc/base/json.h"
#include "wascc/base/sha256.h"

namespace wascc::oci_registry {
namespace {

constexpr size_t kMaxManifestBytes = 4u << 20;

std::string digest_of(ByteView bytes) { return "sha256:" + ascii::lowercase(encoding::hex_upper(sha256::hash(bytes))); }

ByteView view(const std::string& text) { return {reinterpret_cast<const uint8_t*>(text.data()), text.size()}; }

bool is_loopback(const std::string& registry) {
  const std::string host =
      registry.rfind('[', 0) == 0 ? registry.substr(0, registry.find(']') + 1) : registry.substr(0, registry.find(':'));
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]";
}

// One registry's HTTP client and the errors its answers make.
class Session {
 public:
  Session(const Reference& reference, const Options& options)
      : reference_(reference),
        base_((is_loopback(reference.registry) || options.insecure ? "http://" : "https://") + reference.registry),
        client_(base_) {
    client_.set_connection_timeout(options.timeout);
    client_.set_read_timeout(options.timeout);
    client_.set_write_timeout(options.timeout);
    client_.set_follow_location(true);  // blobs may be served from elsewhere (storage redirects)
  }

  std::string path(const std::string& rest) const { return "/v2/" + reference_.repository + "/" + rest; }

  Error failure(const std::string& what, const httplib::Result& result) const {
    if (!result) return io_error(base_ + ": " + what + ": " + httplib::to_string(result.error()));
    std::string body = result->body.substr(0, 300);
    for (char& c : body) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    if (result->status == 401 || result->status == 403) {
      return invalid_error(base_ + ": " + what + ": " + std::to_string(result->status) +
                           " (this registry wants credentials, which wascc does not send yet)");
    }
    return invalid_error(base_ + ": " + what + ": HTTP " + std::to_string(result->status) +
                         (body.empty() ? "" : ": " + body));
  }

  Status upload_blob(ByteView bytes, const std::string& digest) {
    if (auto exists = client_.Head(path("blobs/" + digest)); exists && exists->status == 200) return ok_status();
    auto started = client_.Post(path("blobs/uploads/"), "", "application/octet-stream");
    if (!started || started->status != 202) return failure("starting the upload of " + digest, started);
    std::string location = started->get_header_value("Location");
    if (location.rfind("http", 0) == 0) {  // absolute: keep the path and query
      const auto slash = location.find('/', location.find("://") + 3);
      location = slash == std::string::npos ? "/" : location.substr(slash);
    }
    location += (location.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + digest;
    auto put =
        client_.Put(location, reinterpret_cast<const char*>(bytes.data()), bytes.size(), "application/octet-stream");
    if (!put || put->status != 201) return failure("uploading " + digest, put);
    return ok_status();
  }

  Result<std::string> put_manifest(const std::string& manifest) {
    auto put = client_.Put(path("manifests/" + reference_.tag), manifest, std::string(kManifestMediaType));
    if (!put || put->status != 201) return failure("putting the manifest " + reference_.text(), put);
    return digest_of(view(manifest));
  }

  Result<std::string> get_manifest() {
    const std::string wanted = reference_.digest.empty() ? reference_.tag : reference_.digest;
    httplib::Headers accept{{"Accept", std::string(kManifestMediaType)}};
    std::string body;  // read with a cap: the registry is outside input
    bool too_big = false;
    auto got = client_.Get(
        path("manifests/" + wanted), accept, [](const httplib::Response&) { return true; },
        [&](const char* data, size_t length) {
          too_big = body.size() + length > kMaxManifestBytes;
          if (!too_big) body.append(data, length);
          return !too_big;
        });
    if (too_big) return invalid_error(reference_.text() + ": the manifest is over 4 MiB");
    if (!got || got->status != 200) {
      if (got) got->body = body;  // the registry's error text, for the message
      return failure("getting the manifest " + reference_.text(), got);
    }
    if (!reference_.digest.empty() && digest_of(view(body)) != reference_.digest) {
      return invalid_error(reference_.text() + ": the manifest does not hash to " + reference_.digest);
    }
    return body;
  }

  Result<Bytes> get_blob(const std::string& digest, uint64_t size) {
    Bytes out;
    out.reserve(size);
    auto got = client_.Get(path("blobs/" + digest), [&](const char* data, size_t length) {
      if (out.size() + length > size) return false;  // more than the manifest said: stop reading
      out.insert(out.end(), data, data + length);
      return true;
    });
    if (!got || got->status != 200) {
      if (out.size() >= size) return invalid_error(reference_.text() + ": the layer is larger than its manifest says");
      return failure("getting " + digest, got);
    }
    if (out.size() != size || digest_of(out) != digest) {
      return invalid_error(reference_.text() + ": the layer does not match its digest " + digest);
    }
    return out;
  }

 private:
  const Reference& reference_;
  std::string base_;
  httplib::Client client_;
};

bool valid_repository_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
}

}  // namespace

std::string Reference::text() const {
  return registry + "/" + repository + (digest.empty() ? ":" + tag : "@" + digest);
}

Result<Reference> parse_reference(std::string_view text) {
  const std::string original(text);
  auto bad = [&](const std::string& why) { return input_error("OCI reference \"" + original + "\": " + why); };
  if (text.rfind("oci://", 0) == 0) text.remove_prefix(6);
  Reference reference;
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return bad("expected REGISTRY/REPOSITORY[:TAG], e.g. localhost:5000/echo:0.1.0");
  reference.registry = std::string(text.substr(0, slash));
  if (reference.registry.find_first_of(".:") == std::string::npos && reference.registry != "localhost") {
    return bad("the registry \"" + reference.registry + "\" is not a host (give host:port or a domain)");
  }
  std::string_view rest = text.substr(slash + 1);
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    reference.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (reference.digest.rfind("sha256:", 0) != 0 || reference.digest.size() != 71)
      return bad("a digest is sha256: and 64 hex digits");
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    reference.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (reference.tag.empty() || reference.tag.size() > 128) return bad("the tag is empty or too long");
  }
  reference.repository = std::string(rest);
  if (reference.repository.empty() || !std::all_of(rest.begin(), rest.end(), valid_repository_char)) {
    return bad("the repository must be lower-case letters, digits and . _ - /");
  }
  return reference;
}

Result<Pushed> push(const Reference& reference, ByteView wasm, const Options& options) {
  if (!reference.digest.empty()) {
    return input_error(reference.text() + ": push to a tag, not a digest (the digest is what the registry answers)");
  }
  Session session(reference, options);
  const std::string config = "{}";
  const std::string config_digest = digest_of(view(config));
  const std::string layer_digest = digest_of(wasm);
  if (auto uploaded = session.upload_blob(view(config), config_digest); !uploaded) return uploaded.error();
  if (auto uploaded = session.upload_blob(wasm, layer_digest); !uploaded) return uploaded.error();
  Json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kManifestMediaType},
      {"config", {{"mediaType", kActorConfigMediaType}, {"digest", config_digest}, {"size", config.size()}}},
      {"layers", Json::array({{{"mediaType", kWasmLayerMediaType}, {"digest", layer_digest}, {"size", wasm.size()}}})}};
  auto digest = session.put_manifest(json::dump(manifest));
  if (!digest) return digest.error();
  return Pushed{*digest, layer_digest};
}

Result<Bytes> pull(const Reference& reference, const Options& options) {
  Session session(reference, options);
  auto text = session.get_manifest();
  if (!text) return text.error();
  auto manifest = json::parse(*text);
  if (!manifest) return invalid_error(reference.text() + ": the manifest is not JSON: " + manifest.error().message);
  if (!manifest->is_object() || !manifest->contains("layers") || !(*manifest)["layers"].is_array()) {
    return invalid_error(reference.text() + ": not an image manifest (no layers)");
  }
  for (const auto& layer : (*manifest)["layers"]) {
    if (!layer.is_object() || layer.value("mediaType", "") != kWasmLayerMediaType) continue;
    const std::string digest = layer.value("digest", "");
    const auto& size = layer.contains("size") ? layer["size"] : Json();
    if (digest.rfind("sha256:", 0) != 0 || !size.is_number_unsigned()) {
      return invalid_error(reference.text() + ": the wasm layer has no sha256 digest or size");
    }
    if (size.get<uint64_t>() > options.max_bytes) {
      return invalid_error(reference.text() + ": the module is " + std::to_string(size.get<uint64_t>()) +
                           " bytes, over the limit of " + std::to_string(options.max_bytes));
    }
    return session.get_blob(digest, size.get<uint64_t>());
  }
  return invalid_error(reference.text() + ": no layer of " + std::string(kWasmLayerMediaType) + " (not an actor)");
}

}  // namespace wascc::oci_registry
