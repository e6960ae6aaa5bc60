// A binding as the command line gives it: CAPID[@BINDING][?KEY=VALUE&KEY=VALUE], e.g.
// 'wascc:http_server?PORT=8080' or 'wascc:keyvalue@cache?URL=redis://127.0.0.1:6379'.
// Values are percent-decoded (%26 is '&').
#pragma once

#include <string>
#include <string_view>

#include "wascc/actors/capability_provider.h"

namespace wascc::binding_spec {

struct Binding {
  std::string capability_id;
  std::string name = "default";
  BindingValues values;
};

Result<Binding> parse(std::string_view text);

}  // namespace wascc::binding_spec
