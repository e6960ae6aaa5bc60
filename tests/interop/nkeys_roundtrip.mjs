// Interoperability with the NATS reference JavaScript nkeys (@nats-io/nkeys):
// keys made here decode there and vice versa; a JWT signed here verifies there; a module
// whose token was signed there verifies here.
// Usage: node nkeys_roundtrip.mjs WASCAP_BINARY NODE_MODULES_DIR
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const [wascap, nodeModules] = process.argv.slice(2);
const require = createRequire(join(resolve(nodeModules), "index.js"));
const nkeys = require("@nats-io/nkeys");
const text = new TextDecoder();
const bytes = new TextEncoder();

let passed = 0;
let failed = 0;
function check(condition, what) {
  if (condition) {
    passed++;
  } else {
    failed++;
    console.log(`FAIL: ${what}`);
  }
}
const run = (...args) => execFileSync(wascap, args, { encoding: "utf8" });

// nkeys.js knows the NATS types; Module (M) and Service (V) keys are wascap's additions.
const shared = {
  account: nkeys.createAccount,
  user: nkeys.createUser,
  operator: nkeys.createOperator,
  server: nkeys.createServer,
  cluster: nkeys.createCluster,
};

for (const [type, create] of Object.entries(shared)) {
  // Made here, decoded there.
  const ours = JSON.parse(run("keys", "gen", type, "--json"));
  const there = nkeys.fromSeed(bytes.encode(ours.seed));
  check(there.getPublicKey() === ours.public_key, `${type}: our seed gives our public key in nkeys.js`);
  check(nkeys.fromPublic(ours.public_key).getPublicKey() === ours.public_key, `${type}: nkeys.js accepts our public key`);
  const message = bytes.encode(`message for ${type}`);
  check(nkeys.fromPublic(ours.public_key).verify(message, there.sign(message)), `${type}: signature round trip`);
  // Made there, decoded here.
  const theirs = create();
  const seed = text.decode(theirs.getSeed());
  check(run("keys", "public", seed).trim() === theirs.getPublicKey(), `${type}: nkeys.js seed gives its public key here`);
}

const work = mkdtempSync(join(tmpdir(), "wascc-nkeys-"));
try {
  // A minimal module: (module (func (export "f"))).
  const module = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0,
                              7, 5, 1, 1, 0x66, 0, 0, 0x0a, 4, 1, 2, 0, 0x0b]);
  writeFileSync(join(work, "m.wasm"), module);

  // A JWT signed here verifies there, with the issuer key nkeys.js made.
  const account = nkeys.createAccount();
  writeFileSync(join(work, "account.nk"), text.decode(account.getSeed()));
  const moduleSeed = JSON.parse(run("keys", "gen", "module", "--json")).seed;
  run("sign", join(work, "m.wasm"), "-o", join(work, "signed.wasm"), "--name", "interop",
      "--issuer", "@" + join(work, "account.nk"), "--subject", moduleSeed);
  const token = run("inspect", "--jwt", join(work, "signed.wasm")).trim();
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  const issuer = nkeys.fromPublic(claims.iss);
  const signingInput = bytes.encode(`${header}.${payload}`);
  check(claims.iss === account.getPublicKey(), "token names the nkeys.js account as issuer");
  check(issuer.verify(signingInput, Buffer.from(signature, "base64url")), "our JWT verifies in nkeys.js");
  check(!issuer.verify(bytes.encode(`${header}.${payload}x`), Buffer.from(signature, "base64url")),
        "a changed JWT does not verify in nkeys.js");
  check(claims.wascap.hash === createHash("sha256").update(module).digest("hex").toUpperCase(),
        "our module hash is node's SHA-256 of the module");

  // A token signed there verifies here: nkeys.js signs, node builds the jwt section.
  const theirClaims = {
    jti: "interop0000000000000000", iat: Math.floor(Date.now() / 1000), iss: account.getPublicKey(),
    sub: claims.sub,
    wascap: { name: "signed-by-nkeys-js", hash: claims.wascap.hash, tags: [], caps: ["wascc:messaging"], prov: false },
    wascap_revision: 3,
  };
  const b64 = (value) => Buffer.from(value).toString("base64url");
  const theirInput = `${b64('{"typ":"jwt","alg":"Ed25519"}')}.${b64(JSON.stringify(theirClaims))}`;
  const theirToken = `${theirInput}.${b64(account.sign(bytes.encode(theirInput)))}`;
  const name = Buffer.from("jwt");
  const content = Buffer.concat([Buffer.from([name.length]), name, Buffer.from(theirToken)]);
  const leb = [];
  for (let n = content.length; ; ) { const b = n & 0x7f; n >>>= 7; if (n) leb.push(b | 0x80); else { leb.push(b); break; } }
  writeFileSync(join(work, "theirs.wasm"), Buffer.concat([module, Buffer.from([0, ...leb]), content]));
  const verdict = spawnSync(wascap, ["verify", "--require-cap", "wascc:messaging", "--issuer",
                                     account.getPublicKey(), join(work, "theirs.wasm")], { encoding: "utf8" });
  check(verdict.status === 0, `module signed by nkeys.js verifies here (${verdict.stderr.trim()})`);
  // And one byte of their signature changed fails here.
  const forged = readFileSync(join(work, "theirs.wasm"));
  forged[forged.length - 3] ^= 0x01;
  writeFileSync(join(work, "forged.wasm"), forged);
  const rejected = spawnSync(wascap, ["verify", join(work, "forged.wasm")], { encoding: "utf8" });
  check(rejected.status === 1, "a forged nkeys.js signature is rejected here");
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
