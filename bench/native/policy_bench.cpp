// Policy costs, measured in-process (bench/policy_bench.py runs it beside OPA's JS SDK):
//  - evaluations per second of a policy on each engine, with a startComponent-sized input;
//  - what a per-call policy adds to an actor's host call: the same host call (the forwarder
//    actor calling wascc:keyvalue Get) without a policy, with a cached decision, uncached.
// Usage: policy_bench POLICY.wasm FORWARDER.wasm|- [SECONDS]   (prints one JSON object; with -
// for the forwarder, evaluations only: a real policy that refuses the forwarder's call)
#include <chrono>
#include <cstdio>
#include <string>

#include "wascc/actors/actor_host.h"
#include "wascc/wapc/guest_launch.h"
#include "wascc/providers/keyvalue_memory.h"
#include "wascc/wascap/module_signing.h"
#include "wascc/policy/opa_policy.h"
#include "wascc/policy/policy_authorizer.h"
#include "aot_cache_environment.h"

using namespace wascc;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_per_run = 1.0;

// Runs `work` repeatedly for about seconds_per_run; answers microseconds per run.
template <typename Work>
double microseconds_each(Work&& work) {
  for (int i = 0; i < 100; ++i) work();  // warm up
  long runs = 0;
  const auto start = Clock::now();
  auto elapsed = std::chrono::duration<double>(0);
  while (elapsed.count() < seconds_per_run) {
    for (int i = 0; i < 100; ++i) work();
    runs += 100;
    elapsed = Clock::now() - start;
  }
  return elapsed.count() * 1e6 / static_cast<double>(runs);
}

const char* kInput = R"({"version":"v1","kind":"performInvocation","requestId":"x","now":1800000000,
  "request":{"interface":"wascc:keyvalue","function":"Get","link":"default",
  "target":{"contractId":"wascc:keyvalue","link":"default"},
  "origin":{"componentId":"MCRWPH2GWUEV5FRKWYE565FNCTGAGZ7OR3Q7F4F7ELL5ZVKKR2GEXRS3","imageRef":"",
  "claims":{"publicKey":"MCRWPH2GWUEV5FRKWYE565FNCTGAGZ7OR3Q7F4F7ELL5ZVKKR2GEXRS3",
  "issuer":"ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2","issuedAt":"1800000000","expiresAt":null,
  "expired":false,"caps":["wascc:keyvalue"],"tags":[],"name":"fwd"}}},
  "host":{"publicKey":"","lattice":"local","labels":{}}})";

}  // namespace

int main(int argc, char** argv) {
  wascc::test::use_xdg_cache_home();
  if (argc < 3) return std::fprintf(stderr, "usage: policy_bench POLICY.wasm FORWARDER.wasm [SECONDS]\n"), 2;
  if (argc > 3) seconds_per_run = std::stod(argv[3]);
  auto policy_bytes = read_file_or_stdin(argv[1]);
  const bool evaluations_only = std::string(argv[2]) == "-";
  auto forwarder = evaluations_only ? Result<Bytes>(Bytes{}) : read_file_or_stdin(argv[2]);
  if (!policy_bytes || !forwarder) return std::fprintf(stderr, "policy_bench: cannot read the inputs\n"), 2;
  std::printf("{\n");
  for (const std::string engine_name : {"interp", "aot"}) {
    auto engine = guest_launch::create_engine(engine_name);
    auto policy = opa::Policy::load(**engine, *policy_bytes, argv[1], {});
    if (!policy) return std::fprintf(stderr, "policy_bench: %s\n", policy.error().message.c_str()), 1;
    const double us = microseconds_each([&] { (void)(*policy)->evaluate(kInput); });
    const bool last = evaluations_only && engine_name == "aot";
    std::printf("  \"evaluate_us_%s\": %.3f%s\n", engine_name.c_str(), us, last ? "\n}" : ",");
  }
  if (evaluations_only) return 0;

  auto account = nkeys::KeyPair::from_seed("SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  module_signing::SignOptions sign;
  sign.name = "fwd";
  sign.capabilities = std::vector<std::string>{"wascc:keyvalue"};
  auto signed_module =
      module_signing::sign_module(*forwarder, *account, nkeys::KeyPair::generate(nkeys::KeyType::Module), sign);
  if (!signed_module) return std::fprintf(stderr, "policy_bench: %s\n", signed_module.error().message.c_str()), 1;
  const Bytes actor_wasm = signed_module->bytes();
  std::string call = "default|wascc:keyvalue|Get|\x81\xa3key\xa1k";
  const ByteView payload(reinterpret_cast<const uint8_t*>(call.data()), call.size());

  std::shared_ptr<policy_authorizer::PolicyAuthorizer> authorizer;
  for (const std::string mode : {"none", "cached", "uncached"}) {
    actor_host::Options options;
    options.engine = "aot";
    if (mode != "none") {
      policy_gate::Setup setup;
      setup.path = argv[1];
      setup.engine = "aot";
      authorizer = *policy_authorizer::PolicyAuthorizer::open(setup);
      options.authorizer = authorizer;
    }
    actor_host::Host host(options);
    (void)host.add_provider(std::make_shared<keyvalue_memory::Provider>());
    auto key = host.add_actor(actor_wasm, "fwd");
    if (!key) return std::fprintf(stderr, "policy_bench: %s\n", key.error().message.c_str()), 1;
    (void)host.bind(*key, "wascc:keyvalue", "default", {});
    const double us = microseconds_each([&] {
      if (mode == "uncached") authorizer->clear_cache();
      (void)host.call_actor(*key, "call", payload);
    });
    std::printf("  \"host_call_us_%s\": %.3f%s\n", mode.c_str(), us, mode == "uncached" ? "" : ",");
  }
  std::printf("}\n");
  return 0;
}
