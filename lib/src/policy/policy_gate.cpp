#include "wascc/policy/policy_gate.h"

#include <archive.h>
#include <archive_entry.h>

#include <map>
#include <memory>

#include "wascc/wapc/guest_launch.h"

namespace wascc::policy_gate {
namespace {

constexpr size_t kMaxBundleBytes = 256u << 20;

// libarchive's last error; it may have none to give (a null pointer, found by fuzzing).
std::string error_of(archive* reader) {
  const char* text = archive_error_string(reader);
  return text != nullptr ? text : "unreadable archive";
}

// The regular files of a gzip'd tar (ustar, PAX and GNU long names, header checksums checked:
// libarchive), by name without a leading "./" or "/". At most kMaxBundleBytes unpacked.
Result<std::map<std::string, std::string>> unpack(ByteView compressed, const std::string& name) {
  std::unique_ptr<archive, decltype(&archive_read_free)> reader(archive_read_new(), archive_read_free);
  if (!reader) return io_error(name + ": libarchive failed to start");
  archive_read_support_filter_gzip(reader.get());
  archive_read_support_format_tar(reader.get());
  if (archive_read_open_memory(reader.get(), compressed.data(), compressed.size()) != ARCHIVE_OK) {
    return input_error(name + ": not a gzip'd tar bundle: " + error_of(reader.get()));
  }
  std::map<std::string, std::string> files;
  size_t total = 0;
  archive_entry* entry = nullptr;
  while (true) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      return input_error(name + ": not a valid bundle: " + error_of(reader.get()));
    }
    const char* path = archive_entry_pathname(entry);
    std::string entry_name = path != nullptr ? path : "";
    while (entry_name.rfind("./", 0) == 0) entry_name.erase(0, 2);
    while (!entry_name.empty() && entry_name.front() == '/') entry_name.erase(0, 1);
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string content;
    char chunk[65536];
    la_ssize_t read = 0;
    while ((read = archive_read_data(reader.get(), chunk, sizeof chunk)) > 0) {
      total += static_cast<size_t>(read);
      if (total > kMaxBundleBytes) return input_error(name + ": the bundle unpacks to over 256 MiB");
      content.append(chunk, static_cast<size_t>(read));
    }
    if (read < 0) return input_error(name + ": the bundle's " + entry_name + " is damaged: " + error_of(reader.get()));
    files[entry_name] = std::move(content);
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
  auto files = unpack(bytes, path);
  if (!files) return files.error();
  Bundle bundle;
  std::string module = "policy.wasm";
  if (auto manifest = files->find(".manifest"); manifest != files->end()) {
    auto parsed = json::parse(manifest->second);
    if (!parsed) return input_error(path + ": the bundle's /.manifest is not JSON: " + parsed.error().message);
    const Json& json = *parsed;
    if (json.contains("wasm") && json["wasm"].is_array() && !json["wasm"].empty()) {
      const auto& first = json["wasm"][0];
      if (first.contains("entrypoint") && first["entrypoint"].is_string())
        bundle.entrypoint = first["entrypoint"].get<std::string>();
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
