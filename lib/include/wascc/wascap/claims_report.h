// What `wascap inspect` and `wascap verify` show: the claims table a person reads and the
// JSON verdict a pipeline parses. Kept in the library so tests reach it without a tool.
#pragma once

#include <string>

#include "wascc/wascap/jwt.h"
#include "wascc/wasm/module.h"
#include "wascc/wascap/module_verification.h"

namespace wascc::claims_report {

// A borderless two-column table: headline "<name> - Module", then Account, Module,
// Expires, Can Be Used, Version, Call Alias, Signature, Hash, Capabilities, Tags.
// Requires report.claims.
std::string claims_table(const module_verification::Report& report, module::BinaryKind kind, uint64_t now);

// {"file", "valid", "checks": [{"check", "status", "message"}], "claims": {...}}.
jwt::Json verdict_json(const std::string& file, const module_verification::Report& report);

std::string_view status_name(module_verification::CheckStatus status);

}  // namespace wascc::claims_report
