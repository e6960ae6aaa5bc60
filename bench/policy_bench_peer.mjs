// OPA's own JavaScript SDK (V8) on the same policy and input as bench/native/policy_bench.cpp:
// microseconds per evaluation. Usage: node policy_bench_peer.mjs POLICY.wasm INPUT.json NODE_MODULES [SECONDS]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [policyPath, inputPath, nodeModules, seconds = "1"] = process.argv.slice(2);
const { loadPolicy } = createRequire(join(nodeModules, "noop.js"))("@open-policy-agent/opa-wasm");
const policy = await loadPolicy(readFileSync(policyPath));
const input = JSON.parse(readFileSync(inputPath, "utf8"));
for (let i = 0; i < 1000; ++i) policy.evaluate(input);
let runs = 0;
const start = process.hrtime.bigint();
let elapsed = 0;
while (elapsed < Number(seconds)) {
  for (let i = 0; i < 100; ++i) policy.evaluate(input);
  runs += 100;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
}
console.log(JSON.stringify({ evaluate_us_v8: (elapsed * 1e6) / runs }));
