// OPA policies compiled to wasm, evaluated on the project's own engines (the OPA wasm ABI:
// ../shared/spec/opa-wasm.md). Load checks the ABI (major 1, minor up to 3), lists the
// entrypoints and the builtins the policy needs (refusing, by name, any not implemented here),
// and sets data {} as OPA's JS SDK does; every evaluation starts from the heap as it was after
// the data, so memory stays flat however many evaluations run. Policies are untrusted code:
// each call into one runs under the same limits as guests (fuel, deadline, memory).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "wascc/base/bytes_io.h"
#include "wascc/engine/engine.h"
#include "wascc/wascap/jwt.h"
#include "wascc/engine/limits.h"

namespace wascc::opa {

struct Options {
  limits::Limits limits;
  std::optional<int64_t> now_ns;                  // time.now_ns (pinned for reproducible runs)
  std::function<void(const std::string&)> print;  // opa_println lines
};

// The host builtins this project implements (time.now_ns, json.is_valid).
const std::vector<std::string>& implemented_builtins();

class Policy {
 public:
  // `wasm` is the policy module; `name` names it in errors.
  static Result<std::unique_ptr<Policy>> load(engine::Engine& engine, ByteView wasm, const std::string& name,
                                              Options options);
  ~Policy();

  int abi_minor() const { return abi_minor_; }
  const std::map<std::string, int32_t>& entrypoints() const { return entrypoints_; }
  const std::map<std::string, int32_t>& builtins() const { return builtins_; }

  // The policy's linear memory now (it stays flat across evaluations: the heap is reset).
  uint64_t memory_bytes() const;

  // Replaces the data document (JSON text).
  Status set_data(std::string_view json);

  // The result set for `input_json` (validated here: OPA takes malformed input as undefined).
  // Entrypoint by name; none: the first (id 0). opa_abort, traps and limits are errors.
  Result<jwt::Json> evaluate(std::string_view input_json, const std::optional<std::string>& entrypoint = std::nullopt);
  // The same for a document the host built: valid by construction, so not parsed again.
  Result<jwt::Json> evaluate_document(const jwt::Json& input,
                                      const std::optional<std::string>& entrypoint = std::nullopt);

 private:
  struct Runtime;
  explicit Policy(std::unique_ptr<Runtime> runtime);
  Result<jwt::Json> evaluate_valid(std::string_view input, const std::optional<std::string>& entrypoint);
  std::unique_ptr<Runtime> runtime_;
  int abi_minor_ = 0;
  std::map<std::string, int32_t> entrypoints_;
  std::map<std::string, int32_t> builtins_;
};

// What a result set decides (the project's rules): [] -> deny, "policy gave no decision";
// a boolean result -> it; an object result -> its "allow" (or wasmCloud's "permitted")
// boolean, with "message" (text) or "reasons"/"deny" (texts) explaining a deny. Anything
// else is an error: a policy error never allows.
struct Decision {
  bool allowed = false;
  std::string message;
};
Result<Decision> decide(const jwt::Json& result_set);

}  // namespace wascc::opa
