#include "wascc/wasm/wasm_features.h"

namespace wascc::wasm_features {

const std::vector<FeatureInfo>& known_features() {
  static const std::vector<FeatureInfo> kFeatures = {
#define WABT_FEATURE(variable, flag, default_, help) {flag, default_, help},
#include <wabt/feature.def>
#undef WABT_FEATURE
  };
  return kFeatures;
}

bool FeatureSet::enabled(std::string_view name) const {
  auto found = overrides.find(std::string(name));
  if (found != overrides.end()) return found->second;
  if (enable_all) return true;
  for (const auto& feature : known_features()) {
    if (feature.name == name) return feature.enabled_by_default;
  }
  return false;
}

Status check_names(const FeatureSet& features) {
  for (const auto& [name, enabled] : features.overrides) {
    bool known = false;
    for (const auto& feature : known_features()) known = known || feature.name == name;
    if (!known) return input_error("unknown wasm feature \"" + name + "\"");
  }
  return ok_status();
}

}  // namespace wascc::wasm_features
