// The OPA policy host on both engines, with the WAT stand-ins of tests/data/policies.
#include <doctest/doctest.h>

#include "check_error.h"

#include "guest_fixtures.h"
#include "wascc/wapc/guest_launch.h"
#include "wascc/policy/opa_module.h"
#include "wascc/policy/opa_policy.h"
#include "wascc/wasm/wat.h"

using namespace wascc;

namespace {

Bytes policy_bytes(const std::string& variant) {
  auto bytes = read_file_or_stdin(std::string(WASCC_TEST_POLICIES_DIR) + "/policy_" + variant + ".wasm");
  REQUIRE(bytes.ok());
  return *bytes;
}

std::unique_ptr<opa::Policy> load_policy(engine::Engine& engine, const std::string& variant,
                                         opa::Options options = {}) {
  auto policy = opa::Policy::load(engine, policy_bytes(variant), variant, std::move(options));
  REQUIRE_MESSAGE(policy.ok(), policy.error().message);
  return std::move(policy.value());
}

}  // namespace

TEST_CASE("opa module: version globals, and the imported memory defined in place") {
  auto facts = opa_module::read_facts(policy_bytes("v3"));
  REQUIRE(facts.ok());
  CHECK(facts->abi_major == 1);
  CHECK(facts->abi_minor == 3);
  CHECK(facts->imports_memory);
  CHECK(facts->memory_min_pages == 2);
  auto own = opa_module::with_own_memory(policy_bytes("v3"));
  REQUIRE(own.ok());
  auto after = opa_module::read_facts(*own);
  REQUIRE(after.ok());
  CHECK_FALSE(after->imports_memory);
  CHECK(after->abi_minor == 3);
  auto module = wat::compile(as_bytes(std::string("(module (memory (export \"memory\") 1))")), "m.wat", {});
  REQUIRE(module.ok());
  CHECK(*opa_module::with_own_memory(*module) == *module);  // nothing imported: unchanged
}

TEST_CASE("opa policy: decisions, data, builtins and aborts on both engines and both eval paths") {
  for (const auto& engine_name : test::engines_under_test()) {
    auto engine = guest_launch::create_engine(engine_name);
    REQUIRE(engine.ok());
    for (const std::string variant : {"v1", "v3"}) {
      CAPTURE(engine_name);
      CAPTURE(variant);
      auto policy = load_policy(**engine, variant);
      CHECK(policy->abi_minor() == (variant == "v1" ? 1 : 3));
      CHECK(policy->entrypoints().at("wascc/data") == 1);
      CHECK(policy->builtins().at("json.is_valid") == 0);
      CHECK(policy->evaluate(R"({"issuer":"ACODERUV"})")->dump() == R"([{"result":{"allow":true}}])");
      CHECK(policy->evaluate(R"({"issuer":"ABAD"})")->dump() ==
            R"([{"result":{"allow":false,"reasons":["issuer not allowed"]}}])");
      CHECK(policy->evaluate(R"({"x":"undefined"})")->dump() == "[]");
      CHECK(policy->evaluate(R"("builtin")")->dump() == R"([{"result":{"allow":false}}])");  // via opa_builtin1
      CHECK(policy->evaluate(R"({"builtin":1})")->dump() == "[]");  // json.is_valid of an object: undefined
      auto aborted = policy->evaluate(R"({"abort":true})");
      REQUIRE_FALSE(aborted.ok());
      CHECK(aborted.error().message == variant + ": opa_abort: policy.rego:3:1: abort requested");
      CHECK(policy->evaluate(R"({"issuer":"ACODERUV"})").ok());  // fine after an abort
      REQUIRE(policy->set_data(R"({"roles":{"admin":["alice"]}})").ok());
      CHECK(policy->evaluate("{}", "wascc/data")->dump() == R"([{"result":{"roles":{"admin":["alice"]}}}])");
      CHECK_ERROR(policy->evaluate("{}", "wascc/nothing"),
                  variant + ": no entrypoint wascc/nothing (it has: wascc/allow, wascc/data)");
      CHECK(policy->evaluate("{\"message\":").error().message ==
            variant +
                ": the input is not JSON: parse error at line 1, column 12: syntax error while parsing value - "
                "unexpected end of input; expected '[', '{', or a literal");
      CHECK(policy->set_data("{").error().message ==
            variant +
                ": the data is not JSON: parse error at line 1, column 2: syntax error while parsing object key - "
                "unexpected end of input; expected string literal");
      const std::string deep = std::string(5000, '[') + std::string(5000, ']');
      CHECK(policy->evaluate(deep).error().message ==
            variant + ": the input is not JSON: nesting deeper than 1000 levels");
    }
  }
}

TEST_CASE("opa policy: opa_println goes to the print sink; time.now_ns is pinned by the options") {
  auto engine = guest_launch::create_engine("interp");
  REQUIRE(engine.ok());
  std::vector<std::string> printed;
  opa::Options options;
  options.print = [&](const std::string& line) { printed.push_back(line); };
  auto policy = load_policy(**engine, "v3", options);
  CHECK(policy->evaluate(R"({"print":1,"issuer":"ACODERUV"})")->dump() == R"([{"result":{"allow":true}}])");
  REQUIRE(printed.size() == 1);
  CHECK(printed[0] == "policy.rego:5: print called");
  opa::Options pinned;
  pinned.now_ns = 1'800'000'000'000'000'000;
  auto clock = load_policy(**engine, "v1", pinned);
  CHECK(clock->evaluate(R"({"clock":1})")->dump() == R"([{"result":{"allow":1800000000000000000}}])");  // opa_builtin0
  const auto& names = opa::implemented_builtins();
  CHECK(std::find(names.begin(), names.end(), "time.now_ns") != names.end());
}

TEST_CASE("opa policy: refused at load with the reason") {
  auto engine = guest_launch::create_engine("interp");
  REQUIRE(engine.ok());
  auto needs_http = opa::Policy::load(**engine, policy_bytes("needs_http"), "p.wasm", {});
  REQUIRE_FALSE(needs_http.ok());
  CHECK(needs_http.error().message == "p.wasm: the policy needs builtins this host does not implement: http.send");
  auto future = wat::compile(
      as_bytes(std::string(
          "(module (memory (export \"memory\") 1) (global (export \"opa_wasm_abi_version\") i32 (i32.const 2)))")),
      "f.wat", {});
  REQUIRE(future.ok());
  auto refused = opa::Policy::load(**engine, *future, "f.wasm", {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "f.wasm: unsupported OPA ABI version 2 (this host speaks 1)");
  CHECK_ERROR(opa::Policy::load(**engine, Bytes{0, 'a', 's', 'm'}, "x.wasm", {}),
              "x.wasm: unexpected end of file in the wasm header");
}

TEST_CASE("opa policy: a runaway policy is stopped by the limits; memory stays flat over many evaluations") {
  for (const auto& engine_name : test::engines_under_test()) {
    CAPTURE(engine_name);
    auto engine = guest_launch::create_engine(engine_name);
    REQUIRE(engine.ok());
    opa::Options options;
    options.limits.fuel = 50'000'000;
    auto policy = load_policy(**engine, "v3", options);
    auto runaway = policy->evaluate(R"({"loop":1})");
    REQUIRE_FALSE(runaway.ok());
    CHECK(runaway.error().message.find("fuel") != std::string::npos);
    const int rounds = engine_name == "aot" ? 100'000 : 10'000;
    (void)policy->evaluate(R"({"issuer":"ACODERUV"})");
    const uint64_t before = policy->memory_bytes();
    int failures = 0;
    for (int i = 0; i < rounds; ++i)
      failures += policy->evaluate(R"({"issuer":"ACODERUV","n":)" + std::to_string(i) + "}").ok() ? 0 : 1;
    CHECK(failures == 0);
    CHECK(policy->memory_bytes() == before);
    CHECK(before == 2 * 65536);
    auto still = policy->evaluate(R"({"issuer":"ACODERUV"})");
    CHECK(still->dump() == R"([{"result":{"allow":true}}])");
    auto facts_after = policy->evaluate("{}", "wascc/data");
    CHECK(facts_after->dump() == R"([{"result":{}}])");
  }
}

TEST_CASE("opa decisions: fail closed, explain denials, errors never allow") {
  auto decide = [](const char* text) { return opa::decide(Json::parse(text)); };
  CHECK(decide(R"([{"result":true}])")->allowed);
  CHECK_FALSE(decide(R"([{"result":false}])")->allowed);
  CHECK(decide("[]")->message == "policy gave no decision");
  CHECK_FALSE(decide("[]")->allowed);
  CHECK(decide(R"([{"result":{"permitted":true}}])")->allowed);
  auto explained = decide(R"([{"result":{"allow":false,"message":"no","reasons":["a","b"]}}])");
  CHECK(explained->message == "no; a; b");
  CHECK(decide(R"([{"result":{"allow":false,"deny":["x"]}}])")->message == "x");
  CHECK_ERROR(decide(R"([{"result":{"allow":"yes"}}])"),
              "the policy's result has no boolean allow (or permitted): {\"allow\":\"yes\"}");
  CHECK_ERROR(decide(R"([{"result":1}])"), "the policy's result is neither a boolean nor an object: 1");
  CHECK_ERROR(decide(R"({"result":true})"), "the policy's result set is not an array");
}
