#include "wascc/policy/policy_gate.h"

#include <zlib.h>

#include <cstring>
#include <map>

#include "wascc/wapc/guest_launch.h"

namespace wascc::policy_gate {
namespace {

constexpr size_t kMaxBundleBytes = 256u << 20;

Result<Bytes> gunzip(ByteView compressed, const std::string& name) {
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return io_error(name + ": zlib failed to start");
  Bytes out;
  uint8_t chunk[65536];
  stream.next_in = const_cast<Bytef*>(compressed.data());
  stream.avail_in = static_cast<uInt>(compressed.size());
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = chunk;
    stream.avail_out = sizeof chunk;
    status = inflate(&stream, Z_NO_FLUSH);
    out.insert(out.end(), chunk, chunk + (sizeof chunk - stream.avail_out));
    if (out.size() > kMaxBundleBytes) status = Z_MEM_ERROR;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) return input_error(name + ": not a gzip'd bundle (or over 256 MiB unpacked)");
  return out;
}

// The regular files of a ustar archive, by name without a leading "./" or "/".
Result<std::map<std::string, std::string>> untar(ByteView archive, const std::string& name) {
  std::map<std::string, std::string> files;
  size_t at = 0;
  while (at + 512 <= archive.size()) {
    const uint8_t* header = archive.data() + at;
    if (header[0] == 0) break;  // the end-of-archive blocks
    std::string entry(reinterpret_cast<const char*>(header), strnlen(reinterpret_cast<const char*>(header), 100));
    const std::string prefix(reinterpret_cast<const char*>(header + 345), strnlen(reinterpret_cast<const char*>(header + 345), 155));
    if (!prefix.empty()) entry = prefix + "/" + entry;
    uint64_t size = 0;
    for (size_t i = 124; i < 136 && header[i] >= '0' && header[i] <= '7'; ++i) size = size * 8 + (header[i] - '0');
    const char type = static_cast<char>(header[156]);
    at += 512;
    if (size > archive.size() - at) return input_error(name + ": the bundle's " + entry + " runs past its end");
    while (entry.rfind("./", 0) == 0) entry.erase(0, 2);
    while (!entry.empty() && entry.front() == '/') entry.erase(0, 1);
    if (type == '0' || type == 0) files[entry].assign(reinterpret_cast<const char*>(archive.data() + at), size);
    at += (size + 511) / 512 * 512;
  }
  return files;
}

}  // namespace

Result<Bundle> read_policy_file(const std::string& path) {
  auto bytes = read_file_or_stdin(path);
  if (!bytes) return bytes.error();
  return read_policy(std::move(bytes.value()), path);
}

Result<Bundle> read_policy(Bytes bytes, const std::string& path) {
  if (bytes.size() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return Bundle{std::move(bytes), {}, {}};
  auto archive = gunzip(bytes, path);
  if (!archive) return archive.error();
  auto files = untar(*archive, path);
  if (!files) return files.error();
  Bundle bundle;
  std::string module = "policy.wasm";
  if (auto manifest = files->find(".manifest"); manifest != files->end()) {
    auto parsed = json::parse(manifest->second);
    if (!parsed) return input_error(path + ": the bundle's /.manifest is not JSON: " + parsed.error().message);
    const Json& json = *parsed;
    if (json.contains("wasm") && json["wasm"].is_array() && !json["wasm"].empty()) {
      const auto& first = json["wasm"][0];
      if (first.contains("entrypoint") && first["entrypoint"].is_string()) bundle.entrypoint = first["entrypoint"].get<std::string>();
      if (first.contains("module") && first["module"].is_string()) {
        module = first["module"].get<std::string>();
        while (!module.empty() && module.front() == '/') module.erase(0, 1);
      }
    }
  }
  auto wasm = files->find(module);
  if (wasm == files->end()) return input_error(path + ": the bundle holds no /" + module);
  bundle.wasm.assign(wasm->second.begin(), wasm->second.end());
  if (auto data = files->find("data.json"); data != files->end()) bundle.data = data->second;
  return bundle;
}

Result<std::unique_ptr<Gate>> Gate::open(const Setup& setup) {
  auto bundle = read_policy_file(setup.path);
  if (!bundle) return bundle.error();
  auto gate = std::unique_ptr<Gate>(new Gate());
  gate->name_ = setup.path;
  auto engine = guest_launch::create_engine(setup.engine, setup.toolchain);
  if (!engine) return engine.error();
  gate->engine_ = std::move(engine.value());
  opa::Options options{setup.limits, setup.now_ns, setup.print};
  auto policy = opa::Policy::load(*gate->engine_, bundle->wasm, setup.path, options);
  if (!policy) return policy.error();
  gate->policy_ = std::move(policy.value());
  std::optional<std::string> data = bundle->data;
  if (!setup.data_path.empty()) {
    auto bytes = read_file_or_stdin(setup.data_path);
    if (!bytes) return bytes.error();
    data = std::string(bytes->begin(), bytes->end());
  }
  if (data) {
    if (auto set = gate->policy_->set_data(*data); !set) return set.error();
  }
  gate->entrypoint_ = setup.entrypoint.empty() ? bundle->entrypoint : std::optional(setup.entrypoint);
  if (gate->entrypoint_ && !gate->policy_->entrypoints().count(*gate->entrypoint_)) {
    std::string names;
    for (const auto& [known, id] : gate->policy_->entrypoints()) names += (names.empty() ? "" : ", ") + known;
    return input_error(setup.path + ": no entrypoint " + *gate->entrypoint_ + " (it has: " + names + ")");
  }
  return gate;
}

Result<jwt::Json> Gate::evaluate(const jwt::Json& input) { return policy_->evaluate_document(input, entrypoint_); }

Result<opa::Decision> Gate::decide(const jwt::Json& input) {
  auto result = evaluate(input);
  if (!result) return result.error();
  auto decision = opa::decide(*result);
  if (!decision) return invalid_error(name_ + ": " + decision.error().message);
  return decision;
}

}  // namespace wascc::policy_gate
