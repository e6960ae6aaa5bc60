// A call across runners beside a bare NATS request/reply of the same payload, in one process
// over one nats-server (bench/lattice_bench.py starts it and prints the comparison):
//  - nats: a subscriber that answers each request with its payload, called with the NATS C
//    client's request/reply;
//  - lattice: two runners (hosts joined as lattice members); the first calls the forwarder
//    actor's "echo" on the second (signed invocation, verification, ledger, the actor's run).
// Latency from sequential calls (p50, p99), throughput from `threads` callers at once; five
// rounds of each side interleaved, the median of each figure.
// Usage: lattice_bench NATS_URL FORWARDER.wasm PAYLOAD_BYTES SECONDS THREADS  (one JSON object)
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "wascc/base/unix_time.h"
#include "wascc/runner/lattice.h"
#include "wascc/wascap/jwt.h"
#include "wascc/wascap/module_signing.h"
#include "aot_cache_environment.h"

using namespace wascc;
using Clock = std::chrono::steady_clock;

namespace {

struct Measure {
  double p50_us = 0, p99_us = 0, calls_per_second = 0;
  long failures = 0;
};

// One round: sequential calls for latency, then `threads` callers at once for throughput.
template <typename Call>
Measure measure(Call&& call, double seconds, int threads) {
  Measure out;
  std::vector<double> samples;
  for (auto start = Clock::now(); Clock::now() - start < std::chrono::duration<double>(seconds / 2);) {
    const auto before = Clock::now();
    if (!call()) ++out.failures;
    samples.push_back(std::chrono::duration<double, std::micro>(Clock::now() - before).count());
  }
  std::sort(samples.begin(), samples.end());
  out.p50_us = samples[samples.size() / 2];
  out.p99_us = samples[samples.size() * 99 / 100];
  std::atomic<long> calls{0}, failures{0};
  std::vector<std::thread> callers;
  const auto start = Clock::now();
  for (int t = 0; t < threads; ++t) {
    callers.emplace_back([&] {
      while (Clock::now() - start < std::chrono::duration<double>(seconds / 2)) {
        if (!call()) ++failures;
        ++calls;
      }
    });
  }
  for (auto& caller : callers) caller.join();
  out.calls_per_second = static_cast<double>(calls) / std::chrono::duration<double>(Clock::now() - start).count();
  out.failures += failures;
  return out;
}

// Rounds of each side interleaved (a shared 2-core machine drifts), the median of each figure.
Measure median(std::vector<Measure> rounds) {
  auto middle = [&](auto field) {
    std::vector<double> values;
    for (const auto& round : rounds) values.push_back(round.*field);
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
  };
  Measure out{middle(&Measure::p50_us), middle(&Measure::p99_us), middle(&Measure::calls_per_second), 0};
  for (const auto& round : rounds) out.failures += round.failures;
  return out;
}

// The invocation's own costs, each alone in a loop: what a cross-runner call adds to a bare
// request/reply besides the actor's run.
void print_invocation_costs(const lattice_invocation::Signer& signer, const std::string& target, const Bytes& payload,
                            bool last) {
  constexpr int kCalls = 2000;
  auto per_call_us = [](auto&& step) {
    const auto start = Clock::now();
    for (int i = 0; i < kCalls; ++i) step();
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / kCalls;
  };
  lattice_invocation::Invocation call;
  Bytes wire;
  const double make_us = per_call_us([&] {
    call = lattice_invocation::make(signer, "wasmbus://wascc/host/default", target, "echo", payload,
                                    static_cast<uint64_t>(unix_time::now()) * 1000 + 60000);
  });
  const double encode_us = per_call_us([&] { wire = lattice_invocation::encode(call); });
  const double decode_us = per_call_us([&] { call = *lattice_invocation::decode(wire); });
  const std::vector<std::string> issuers{signer.cluster_key.public_key_text()};
  const double verify_us = per_call_us([&] {
    if (!lattice_invocation::verify(call, {issuers, target, static_cast<uint64_t>(unix_time::now()) * 1000}).ok()) {
      std::abort();
    }
  });
  auto token = jwt::decode(call.encoded_claims);
  auto issuer_key = nkeys::decode_public_key(issuers[0]);
  const double raw_verify_us = per_call_us([&] {
    if (!jwt::verify_signature(*token, *issuer_key)) std::abort();
  });
  const double jwt_decode_us = per_call_us([&] { token = jwt::decode(call.encoded_claims); });
  const double raw_sign_us = per_call_us([&] { (void)signer.cluster_key.sign(as_bytes(token->signing_input())); });
  std::printf(
      "  \"invocation_us\": {\"make\": %.1f, \"encode\": %.1f, \"decode\": %.1f, \"verify\": %.1f, "
      "\"signature_only\": %.1f, \"token_decode\": %.1f, \"sign_only\": %.1f}%s\n",
      make_us, encode_us, decode_us, verify_us, raw_verify_us, jwt_decode_us, raw_sign_us, last ? "" : ",");
}

void print(const char* name, const Measure& m, bool last) {
  std::printf("  \"%s\": {\"p50_us\": %.1f, \"p99_us\": %.1f, \"calls_per_second\": %.0f, \"failures\": %ld}%s\n", name,
              m.p50_us, m.p99_us, m.calls_per_second, m.failures, last ? "" : ",");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) return std::fprintf(stderr, "usage: lattice_bench NATS_URL FORWARDER.wasm BYTES SECONDS THREADS\n"), 2;
  test::use_xdg_cache_home();
  const std::string url = argv[1];
  const Bytes payload(static_cast<size_t>(std::stoul(argv[3])), 'x');
  const double seconds = std::stod(argv[4]);
  const int threads = std::stoi(argv[5]);

  auto bare_server = nats_link::Link::connect({{url}, "bench echo", "", {}});
  auto bare_client = nats_link::Link::connect({{url}, "bench client", "", {}});
  if (!bare_server || !bare_client) return std::fprintf(stderr, "lattice_bench: cannot connect to %s\n", argv[1]), 1;
  nats_link::Link& server = **bare_server;
  (void)server.subscribe("bench.echo", "",
                         [&server](nats_link::Message message) { (void)server.publish(message.reply, message.data); });
  (void)server.flush(2000);
  auto bare_call = [&] { return (*bare_client)->request("bench.echo", payload, 2000).ok(); };

  auto forwarder = read_file_or_stdin(argv[2]);
  auto account = nkeys::KeyPair::from_seed("SAAPN4W3EG6KCJGUQTKTJ5GSB5NHK5CHAJL4DBGFUM3HHROI4XUEP4OBK4");
  module_signing::SignOptions sign;
  sign.name = "forwarder";
  auto signed_module =
      module_signing::sign_module(*forwarder, *account, nkeys::KeyPair::generate(nkeys::KeyType::Module), sign);
  if (!signed_module) return std::fprintf(stderr, "lattice_bench: %s\n", signed_module.error().message.c_str()), 1;
  actor_host::Options host_options;
  host_options.engine = "aot";
  actor_host::Host serving(host_options), calling(host_options);
  auto key = serving.add_actor(signed_module->bytes(), "forwarder");
  if (!key) return std::fprintf(stderr, "lattice_bench: %s\n", key.error().message.c_str()), 1;
  lattice::Options options;
  options.servers = {url};
  options.name = "bench";
  options.cluster_seed = nkeys::KeyPair::generate(nkeys::KeyType::Cluster).seed_text();
  auto serving_member = lattice::Lattice::join(serving, options);
  auto calling_member = lattice::Lattice::join(calling, options);
  if (!serving_member || !calling_member || !(*serving_member)->serve_host().ok() ||
      !(*calling_member)->wait_for_actor(*key, std::chrono::seconds(5))) {
    return std::fprintf(stderr, "lattice_bench: the lattice did not form\n"), 1;
  }
  auto across_call = [&] { return calling.call_actor(*key, "echo", payload).ok(); };
  for (int i = 0; i < 200; ++i) bare_call(), across_call();  // warm up
  constexpr int kRounds = 5;
  std::vector<Measure> bare_rounds, across_rounds;
  for (int round = 0; round < kRounds; ++round) {
    bare_rounds.push_back(measure(bare_call, seconds / kRounds, threads));
    across_rounds.push_back(measure(across_call, seconds / kRounds, threads));
  }
  const Measure bare = median(bare_rounds), across = median(across_rounds);
  const Measure local = measure([&] { return serving.call_actor(*key, "echo", payload).ok(); }, 0.5, threads);
  std::printf("{\n");
  print("nats", bare, false);
  print("lattice", across, false);
  print("local", local, false);
  print_invocation_costs({nkeys::KeyPair::from_seed(options.cluster_seed).value(), "NBENCH"},
                         lattice_invocation::actor_url(*key), payload, true);
  std::printf("}\n");
  (*calling_member)->leave();
  (*serving_member)->leave();
  return 0;
}
