// A policy ready to decide: loaded from a module (.wasm) or an OPA bundle (.tar.gz holding
// /policy.wasm, /data.json and /.manifest naming the entrypoint), with its data set, on an
// engine of the caller's choice. What `wascap verify --policy` and `wascc run --policy` use.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "wascc/engine/aot_engine.h"
#include "wascc/policy/opa_policy.h"

namespace wascc::policy_gate {

struct Setup {
  std::string path;        // policy.wasm or bundle.tar.gz
  std::string data_path;   // a JSON file; overrides the bundle's data
  std::string entrypoint;  // by name; default: the bundle manifest's, else the first
  std::string engine = "interp";
  aot_engine::Toolchain toolchain;  // for the aot engine
  std::optional<int64_t> now_ns;
  limits::Limits limits;
  std::function<void(const std::string&)> print;
};

struct Bundle {
  Bytes wasm;
  std::optional<std::string> data;
  std::optional<std::string> entrypoint;
};
// A policy file: gzip'd tar (an OPA bundle), or a wasm module as it is.
Result<Bundle> read_policy_file(const std::string& path);
// The same for bytes already read; `path` names them in errors.
Result<Bundle> read_policy(Bytes bytes, const std::string& path);

class Gate {
 public:
  static Result<std::unique_ptr<Gate>> open(const Setup& setup);
  // The decision for an input document; errors (aborts, traps, bad results) never allow.
  Result<opa::Decision> decide(const jwt::Json& input);
  // The raw result set, for reports.
  Result<jwt::Json> evaluate(const jwt::Json& input);
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::optional<std::string> entrypoint_;
  std::unique_ptr<engine::Engine> engine_;
  std::unique_ptr<opa::Policy> policy_;
};

}  // namespace wascc::policy_gate
