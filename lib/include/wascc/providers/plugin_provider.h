// Native capability provider plugins: shared libraries speaking the C ABI of
// share/include/wascc_provider.h, loaded with dlopen. One instance per load; loading the same
// file twice (two bindings) gives two instances. Libraries stay loaded until the process ends
// (a plugin's threads may outlive its last call by a moment).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "wascc/actors/capability_provider.h"

namespace wascc::plugin_provider {

using Notice = std::function<void(const std::string& line)>;

// Loads and creates an instance. Errors name the file and the reason (not loadable, no
// wascc_provider_describe, an ABI version this host does not speak, create refused).
Result<std::shared_ptr<CapabilityProvider>> load(const std::string& path, Notice log = {});

}  // namespace wascc::plugin_provider
