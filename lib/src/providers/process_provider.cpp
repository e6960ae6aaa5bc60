#include "wascc/providers/process_provider.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "wascc/base/encoding.h"
#include "wascc/wascap/jwt.h"

extern char** environ;

namespace wascc::process_provider {
namespace {

using Json = jwt::Json;
using Clock = std::chrono::steady_clock;

constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kLastBackoff = std::chrono::milliseconds(5000);

std::string payload_text(ByteView bytes) { return encoding::base64_encode(bytes); }

// One running child: its pid and the host's ends of its stdin (a socket, so that writing to a
// dead child is an error, not SIGPIPE), stdout and stderr.
struct Child {
  pid_t pid = -1;
  int input = -1, output = -1, errors = -1;
};

Result<Child> spawn_shell(const std::string& command, const std::string& directory) {
  int in[2], out[2], err[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return io_error("socketpair failed");
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) return io_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  if (!directory.empty()) posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  Child child;
  const int failed = posix_spawn(&child.pid, "/bin/sh", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[1]);
  close(out[1]);
  close(err[1]);
  if (failed != 0) {
    close(in[0]);
    close(out[0]);
    close(err[0]);
    return io_error("cannot start /bin/sh -c " + command);
  }
  child.input = in[0];
  child.output = out[0];
  child.errors = err[0];
  return child;
}

class ProcessProvider : public CapabilityProvider {
 public:
  ProcessProvider(std::string command, Options options) : command_(std::move(command)), options_(std::move(options)) {}
  ~ProcessProvider() override { stop(); }

  // Starts the child and learns the capability id.
  Status launch() {
    std::unique_lock lock(mutex_);
    if (auto started = start_child(lock); !started) return started;
    auto described = request_locked(lock, {{"type", "describe"}});
    if (!described) return described.error();
    const std::string id = described->value("capability_id", std::string());
    if (id.empty()) return invalid_error(name() + ": describe answered no capability_id");
    if (!capability_id_.empty() && id != capability_id_) {
      return invalid_error(name() + ": restarted as " + id + ", was " + capability_id_);
    }
    capability_id_ = id;
    return ok_status();
  }

  std::string_view capability_id() const override { return capability_id_; }

  Status bind_actor(const std::string& actor, const BindingValues& values) override {
    std::unique_lock lock(mutex_);
    auto reply = request_locked(lock, {{"type", "bind"}, {"actor", actor}, {"values", values}});
    if (!reply) return reply.error();
    bound_[actor] = values;
    return ok_status();
  }

  void remove_actor(const std::string& actor) override {
    std::unique_lock lock(mutex_);
    bound_.erase(actor);
    (void)request_locked(lock, {{"type", "remove"}, {"actor", actor}});
  }

  Result<Bytes> handle_call(const std::string& actor, std::string_view operation, ByteView payload) override {
    std::unique_lock lock(mutex_);
    auto reply = request_locked(lock, {{"type", "call"},
                                       {"actor", actor},
                                       {"operation", std::string(operation)},
                                       {"payload", payload_text(payload)}});
    if (!reply) return reply.error();
    auto bytes = encoding::base64_decode(reply->value("payload", std::string()));
    if (!bytes) return invalid_error(name() + ": the reply's payload is not base64");
    return bytes.value();
  }

  void set_dispatcher(ActorDispatcher dispatcher) override {
    std::lock_guard lock(mutex_);
    dispatcher_ = std::move(dispatcher);
  }

  void stop() override {
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    changed_.notify_all();
    end_child(lock);
    lock.unlock();
    if (supervisor_.joinable()) supervisor_.join();
    if (dispatcher_thread_.joinable()) dispatcher_thread_.join();
  }

 private:
  std::string name() const { return "provider '" + command_ + "'"; }

  void notice(const std::string& line) const {
    if (options_.notice) options_.notice(line);
  }

  Status start_child(std::unique_lock<std::mutex>&) {
    auto child = spawn_shell(command_, options_.working_directory);
    if (!child) return invalid_error(name() + ": " + child.error().message);
    child_ = *child;
    ++generation_;
    alive_ = true;
    readers_.emplace_back([this, fd = child_.output, generation = generation_] { read_frames(fd, generation); });
    readers_.emplace_back([this, fd = child_.errors] { read_errors(fd); });
    if (!supervisor_.joinable()) supervisor_ = std::thread([this] { supervise(); });
    if (!dispatcher_thread_.joinable()) dispatcher_thread_ = std::thread([this] { run_dispatches(); });
    return ok_status();
  }

  // Closes stdin (a well-behaved provider exits), then terminates; joins the readers.
  void end_child(std::unique_lock<std::mutex>& lock) {
    if (child_.pid > 0) {
      shutdown(child_.input, SHUT_RDWR);
      const pid_t pid = child_.pid;
      lock.unlock();
      bool exited = false;
      for (int i = 0; i < 50 && !exited; ++i) {
        exited = waitpid(pid, nullptr, WNOHANG) == pid;
        if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (!exited) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
      }
      lock.lock();
      close(child_.input);
      child_.pid = -1;
    }
    auto readers = std::move(readers_);
    readers_.clear();
    lock.unlock();
    for (auto& reader : readers) reader.join();
    lock.lock();
  }

  Status write_frame_locked(const Json& frame) {
    const std::string line = json::dump(frame) + "\n";
    size_t written = 0;
    while (written < line.size()) {
      const ssize_t n = send(child_.input, line.data() + written, line.size() - written, MSG_NOSIGNAL);
      if (n <= 0) return io_error(name() + " is not running");
      written += static_cast<size_t>(n);
    }
    return ok_status();
  }

  // One request and its answer (a frame with the same id). Holds the lock only to register
  // and to wait.
  Result<Json> request_locked(std::unique_lock<std::mutex>& lock, Json frame) {
    if (!alive_) return invalid_error(name() + " is restarting");
    const uint64_t id = next_id_++;
    frame["id"] = id;
    auto& slot = pending_[id];
    slot.reset();
    if (auto written = write_frame_locked(frame); !written) {
      pending_.erase(id);
      return written.error();
    }
    const auto deadline = Clock::now() + options_.call_timeout;
    const auto generation = generation_;
    changed_.wait_until(lock, deadline,
                        [&] { return pending_[id].has_value() || generation_ != generation || !alive_ || stopping_; });
    std::optional<Json> answer = std::move(pending_[id]);
    pending_.erase(id);
    if (!answer) {
      if (!alive_ || generation_ != generation)
        return invalid_error(name() + " exited during " + json::text_field(frame, "type"));
      if (stopping_) return invalid_error(name() + " is stopping");
      return invalid_error(name() + ": " + json::text_field(frame, "type") + " timed out after " +
                           std::to_string(options_.call_timeout.count()) + " ms");
    }
    if (answer->contains("error")) {
      const Json& error = (*answer)["error"];
      return invalid_error(error.is_string() ? error.get<std::string>() : json::dump(error));
    }
    return std::move(*answer);
  }

  void read_frames(int fd, uint64_t generation) {
    std::string buffer;
    char chunk[65536];
    bool oversized = false;
    while (true) {
      const ssize_t n = read(fd, chunk, sizeof chunk);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
      size_t newline;
      while ((newline = buffer.find('\n')) != std::string::npos) {
        handle_frame(buffer.substr(0, newline));
        buffer.erase(0, newline + 1);
      }
      if (buffer.size() > options_.max_frame_bytes) {
        oversized = true;
        break;
      }
    }
    close(fd);
    std::unique_lock lock(mutex_);
    // A stopping host (end_child) or a newer child owns the cleanup.
    if (generation != generation_ || stopping_) return;
    if (oversized) {
      notice(name() + ": a frame over " + std::to_string(options_.max_frame_bytes) + " bytes; restarting it");
      kill(child_.pid, SIGKILL);
    }
    int status = 0;
    waitpid(child_.pid, &status, 0);
    child_.pid = -1;
    close(child_.input);
    alive_ = false;
    if (!stopping_) {
      notice(name() + " exited (" +
             (WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                  : "status " + std::to_string(WEXITSTATUS(status))) +
             "); restarting it");
    }
    changed_.notify_all();
  }

  void read_errors(int fd) {
    std::string buffer;
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
      buffer.append(chunk, static_cast<size_t>(n));
      size_t newline;
      while ((newline = buffer.find('\n')) != std::string::npos) {
        notice(name() + ": " + buffer.substr(0, newline));
        buffer.erase(0, newline + 1);
      }
    }
    close(fd);
  }

  void handle_frame(const std::string& line) {
    if (line.empty()) return;
    auto parsed = json::parse(line);
    Json frame = parsed ? std::move(parsed.value()) : Json();
    if (!parsed || !frame.is_object() || !frame.contains("id")) {
      notice(name() + ": malformed frame (not a JSON object with an id): " + line.substr(0, 200));
      return;
    }
    std::lock_guard lock(mutex_);
    if (json::text_field(frame, "type") == "dispatch") {
      dispatches_.push_back(std::move(frame));
    } else if (frame["id"].is_number_unsigned() && pending_.count(frame["id"].get<uint64_t>())) {
      pending_[frame["id"].get<uint64_t>()] = std::move(frame);
    } else {
      notice(name() + ": an answer to no pending request: " + line.substr(0, 200));
    }
    changed_.notify_all();
  }

  // Provider-initiated calls to actors, one at a time, off the reader thread (an actor may call
  // the provider back while handling one).
  void run_dispatches() {
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return stopping_ || !dispatches_.empty(); });
      if (stopping_) return;
      Json frame = std::move(dispatches_.front());
      dispatches_.pop_front();
      auto dispatcher = dispatcher_;
      lock.unlock();
      Json answer = {{"id", frame["id"]}};
      auto payload = encoding::base64_decode(json::text_field(frame, "payload"));
      if (!payload) {
        answer["error"] = "the dispatch payload is not base64";
      } else if (!dispatcher) {
        answer["error"] = "the host has not started the provider yet";
      } else {
        auto reply = dispatcher(json::text_field(frame, "actor"), json::text_field(frame, "operation"), *payload);
        if (reply) {
          answer["payload"] = payload_text(*reply);
        } else {
          answer["error"] = reply.error().message;
        }
      }
      lock.lock();
      if (alive_) (void)write_frame_locked(answer);
    }
  }

  // Restarts a dead child with growing pauses, then binds its actors again.
  void supervise() {
    auto backoff = kFirstBackoff;
    std::unique_lock lock(mutex_);
    while (true) {
      changed_.wait(lock, [&] { return stopping_ || !alive_; });
      if (stopping_) return;
      changed_.wait_for(lock, backoff, [&] { return stopping_; });
      if (stopping_) return;
      backoff = std::min(backoff * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kLastBackoff));
      end_child(lock);
      if (!start_child(lock)) continue;
      auto described = request_locked(lock, {{"type", "describe"}});
      if (!described || described->value("capability_id", std::string()) != capability_id_) {
        notice(name() + ": restarted, but does not describe itself as " + capability_id_);
        continue;
      }
      for (const auto& [actor, values] : bound_) {
        if (auto rebound = request_locked(lock, {{"type", "bind"}, {"actor", actor}, {"values", values}}); !rebound) {
          notice(name() + ": binding " + actor + " again failed: " + rebound.error().message);
        }
      }
      notice(name() + " restarted");
      backoff = kFirstBackoff;
    }
  }

  std::string command_;
  Options options_;
  std::string capability_id_;
  std::mutex mutex_;
  std::condition_variable changed_;
  Child child_;
  uint64_t generation_ = 0;
  bool alive_ = false;
  bool stopping_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::optional<Json>> pending_;
  std::deque<Json> dispatches_;
  std::map<std::string, BindingValues> bound_;
  ActorDispatcher dispatcher_;
  std::vector<std::thread> readers_;
  std::thread supervisor_;
  std::thread dispatcher_thread_;
};

}  // namespace

Result<std::shared_ptr<CapabilityProvider>> start(const std::string& command, Options options) {
  auto provider = std::make_shared<ProcessProvider>(command, std::move(options));
  if (auto launched = provider->launch(); !launched) return launched.error();
  return std::shared_ptr<CapabilityProvider>(std::move(provider));
}

}  // namespace wascc::process_provider
