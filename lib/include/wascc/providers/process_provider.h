// Process providers: a capability provider is any program that speaks newline-delimited JSON
// on its stdin and stdout (share/doc/process-providers.md): describe, bind, remove and call
// from the host; dispatch (a call to an actor) from the provider. The program runs once under
// /bin/sh -c; its stderr lines are passed on; when it dies it is restarted with backoff and
// its actors bound again; a call it does not answer in time fails with a timeout; malformed
// or oversized frames are reported and the host goes on. Unlike a plugin, its crash is its own.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "wascc/actors/capability_provider.h"

namespace wascc::process_provider {

struct Options {
  std::chrono::milliseconds call_timeout{10000};
  size_t max_frame_bytes = 16u << 20;
  std::function<void(const std::string& line)> notice;
  std::string working_directory;  // "" = the host's
};

// Starts `command` and asks it to describe itself (within the call timeout).
Result<std::shared_ptr<CapabilityProvider>> start(const std::string& command, Options options);

}  // namespace wascc::process_provider
