// The peer side of bench/wapc_bench.py: the same guest and operation on @wapc/host (V8).
// Usage: node wapc_host_peer.mjs NODE_MODULES GUEST.wasm OPERATION PAYLOAD CALLS WARMUP
// Prints one JSON object: calls, seconds, calls_per_second, mean_us.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const [nodeModules, guest, operation, payloadText, callsText, warmupText] = process.argv.slice(2);
const require = createRequire(join(resolve(nodeModules), "index.js"));
const { instantiate } = require("@wapc/host");

const host = await instantiate(readFileSync(guest), () => new Uint8Array());
const payload = new TextEncoder().encode(payloadText);
for (let i = 0; i < Number(warmupText); i++) await host.invoke(operation, payload);
const calls = Number(callsText);
const start = process.hrtime.bigint();
for (let i = 0; i < calls; i++) await host.invoke(operation, payload);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ calls, seconds, calls_per_second: calls / seconds, mean_us: (seconds * 1e6) / calls }));
