// Host calls answered by a command: for each call, `/bin/sh -c COMMAND` runs with
// WAPC_BINDING, WAPC_NAMESPACE and WAPC_OPERATION in its environment and the payload on its
// stdin; its stdout is the reply. A non-zero exit status is a host error whose text is the
// command's stderr (or "exit status N" when it printed nothing).
#pragma once

#include <string>

#include "wascc/wapc/wapc_host.h"

namespace wascc::process_host_handler {

wapc::HostCallHandler make(std::string command);

// One run, for tests: the reply or the host error.
Result<Bytes> run(const std::string& command, const wapc::HostCall& call);

}  // namespace wascc::process_host_handler
