#include "wascc/providers/plugin_provider.h"

#include <dlfcn.h>

#include <mutex>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "wascc_provider.h"  // share/include: the plugins' C ABI

namespace wascc::plugin_provider {
namespace {

// A buffer the other side malloc'd, freed when this goes.
struct Owned {
  wascc_buffer buffer{nullptr, 0};
  ~Owned() { std::free(buffer.data); }
  std::string text() const { return std::string(reinterpret_cast<const char*>(buffer.data), buffer.len); }
  Bytes bytes() const { return Bytes(buffer.data, buffer.data + buffer.len); }
};

wascc_buffer malloc_copy(const void* data, size_t length) {
  wascc_buffer out{static_cast<uint8_t*>(std::malloc(length == 0 ? 1 : length)), length};
  if (out.data != nullptr && length > 0) std::memcpy(out.data, data, length);
  if (out.data == nullptr) out.len = 0;
  return out;
}

class Plugin : public CapabilityProvider {
 public:
  Plugin(std::string path, const wascc_provider* table, Notice log)
      : path_(std::move(path)), table_(table), log_(std::move(log)), id_(table->capability_id) {
    host_.abi_version = WASCC_PROVIDER_ABI_VERSION;
    host_.context = this;
    host_.dispatch = &Plugin::dispatch_from_plugin;
    host_.log = &Plugin::log_from_plugin;
  }
  ~Plugin() override { stop(); }

  Status create() {
    instance_ = table_->create(&host_);
    if (instance_ == nullptr) return invalid_error(path_ + ": the plugin refused to create an instance");
    return ok_status();
  }

  std::string_view capability_id() const override { return id_; }

  Status bind_actor(const std::string& actor, const BindingValues& values) override {
    std::vector<wascc_config_entry> entries;
    for (const auto& [key, value] : values) entries.push_back({key.c_str(), value.c_str()});
    Owned error;
    if (table_->bind_actor(instance_, actor.c_str(), entries.data(), entries.size(), &error.buffer) != 1) {
      return invalid_error(id_ + " (" + path_ + "): " + error.text());
    }
    return ok_status();
  }

  void remove_actor(const std::string& actor) override { table_->remove_actor(instance_, actor.c_str()); }

  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override {
    const std::string op(operation);
    Owned reply;
    if (table_->handle_call(instance_, actor.c_str(), op.c_str(), payload.data(), payload.size(), &reply.buffer) != 1) {
      return invalid_error(reply.text());
    }
    return reply.bytes();
  }

  void set_dispatcher(ActorDispatcher dispatcher) override {
    std::lock_guard lock(mutex_);
    dispatcher_ = std::move(dispatcher);
  }

  void stop() override {
    if (instance_ != nullptr) table_->destroy(instance_);
    instance_ = nullptr;
  }

 private:
  static int dispatch_from_plugin(void* context, const char* actor, const char* operation, const uint8_t* payload,
                                  size_t length, wascc_buffer* reply) {
    auto* self = static_cast<Plugin*>(context);
    ActorDispatcher dispatcher;
    {
      std::lock_guard lock(self->mutex_);
      dispatcher = self->dispatcher_;
    }
    Result<Bytes, wapc::CallFailure> answer =
        dispatcher ? dispatcher(actor, operation, ByteView(payload, length))
                   : wapc::CallFailure{wapc::FailureKind::Unavailable, "the host has not started the provider yet", {}};
    if (!answer) {
      *reply = malloc_copy(answer.error().message.data(), answer.error().message.size());
      return 0;
    }
    *reply = malloc_copy(answer->data(), answer->size());
    return 1;
  }

  static void log_from_plugin(void* context, const char* line) {
    auto* self = static_cast<Plugin*>(context);
    if (self->log_) self->log_(self->id_ + ": " + line);
  }

  std::string path_;
  const wascc_provider* table_;
  Notice log_;
  std::string id_;
  wascc_host host_{};
  void* instance_ = nullptr;
  std::mutex mutex_;
  ActorDispatcher dispatcher_;
};

}  // namespace

Result<std::shared_ptr<CapabilityProvider>> load(const std::string& path, Notice log) {
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return input_error(path + ": cannot load the plugin: " + dlerror());
  using Describe = const wascc_provider* (*)();
  auto describe = reinterpret_cast<Describe>(dlsym(library, "wascc_provider_describe"));
  if (describe == nullptr) {
    return input_error(path +
                       ": not a wascc provider plugin (no wascc_provider_describe; waSCC's Rust plugins cannot be "
                       "loaded by another host)");
  }
  const wascc_provider* table = describe();
  if (table == nullptr) return input_error(path + ": wascc_provider_describe returned nothing");
  if (table->abi_version != WASCC_PROVIDER_ABI_VERSION) {
    return input_error(path + ": plugin ABI version " + std::to_string(table->abi_version) + ", this host speaks " +
                       std::to_string(WASCC_PROVIDER_ABI_VERSION));
  }
  if (table->capability_id == nullptr || table->create == nullptr || table->bind_actor == nullptr ||
      table->remove_actor == nullptr || table->handle_call == nullptr || table->destroy == nullptr) {
    return input_error(path + ": the plugin's table is incomplete");
  }
  auto plugin = std::make_shared<Plugin>(path, table, std::move(log));
  if (auto created = plugin->create(); !created) return created.error();
  return std::shared_ptr<CapabilityProvider>(std::move(plugin));
}

}  // namespace wascc::plugin_provider
