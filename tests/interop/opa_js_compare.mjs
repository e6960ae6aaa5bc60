// The same policies through OPA's own JavaScript SDK (@open-policy-agent/opa-wasm, on V8) and
// through `wascc policy eval` on each engine: result sets must be equal, and aborts must carry
// the same text. Usage: node opa_js_compare.mjs WASCC POLICIES_DIR NODE_MODULES
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";

const [wascc, policies, nodeModules] = process.argv.slice(2);
const require = createRequire(join(nodeModules, "noop.js"));
const { loadPolicy } = require("@open-policy-agent/opa-wasm");

const inputs = [
  { issuer: "ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2" },
  { issuer: "ADIFFERENT" },
  { request: { function: "Del", claims: { issuer: "ACODERUV" } } },
  { x: "undefined" },
  "builtin",
  { builtin: 1 },
  { abort: true },
  { text: "Привет, мир", n: [1, 2.5, -3], nested: { a: null, b: false } },
];
const data = { roles: { admin: ["alice"], "читатель": ["борис"] } };

const scratch = mkdtempSync(join(tmpdir(), "opa-compare-"));
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) { passed++; console.log("ok   " + name); } else { failed++; console.log("FAIL " + name + ": " + detail); }
}

function ours(policyPath, input, engine, entrypoint) {
  const inputFile = join(scratch, "input.json");
  writeFileSync(inputFile, JSON.stringify(input));
  const dataFile = join(scratch, "data.json");
  writeFileSync(dataFile, JSON.stringify(data));
  try {
    const out = execFileSync(wascc, ["policy", "eval", policyPath, "--input", inputFile, "--data", dataFile,
                                     "--engine", engine, "--entrypoint", entrypoint], { stdio: ["ignore", "pipe", "pipe"] });
    return { result: JSON.parse(out.toString()) };
  } catch (error) {
    const text = error.stderr.toString();
    const abort = text.match(/opa_abort: (.*)\n/);
    return { abort: abort ? abort[1] : text };
  }
}

for (const variant of ["v1", "v3"]) {
  const policyPath = join(policies, `policy_${variant}.wasm`);
  const policy = await loadPolicy(readFileSync(policyPath));
  policy.setData(data);
  for (const entrypoint of ["wascc/allow", "wascc/data"]) {
    for (const input of inputs) {
      let theirs;
      try {
        theirs = { result: policy.evaluate(input, entrypoint) };
      } catch (thrown) {
        theirs = { abort: typeof thrown === "string" ? thrown : String(thrown.message ?? thrown) };
      }
      for (const engine of ["interp", "aot"]) {
        const mine = ours(policyPath, input, engine, entrypoint);
        check(`${variant} ${entrypoint} ${engine} ${JSON.stringify(input).slice(0, 40)}`, isDeepStrictEqual(mine, theirs),
              `wascc ${JSON.stringify(mine)} vs opa-wasm ${JSON.stringify(theirs)}`);
      }
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
