#!/usr/bin/env python3
"""Policy evaluation speed beside OPA's own JavaScript SDK (@open-policy-agent/opa-wasm on V8),
and the cost a per-call policy adds to an actor's host call (cached and uncached decisions)
beside the same host call without a policy. The policy is the test stand-in
(tests/data/policies/test_policy.wat.in; OPA cannot be installed here), whose naive substring
search is most of an evaluation's work. Target (issue #9): under 10 us per uncached decision
on the AOT engine for a small RBAC policy. Then real policies built by `opa build -t wasm`
(../shared/realworld/opa), evaluated with the same input on both hosts.

Usage: bench/policy_bench.py [--build build] [--seconds 1]
"""
import argparse
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REAL_POLICIES = os.path.join(ROOT, "..", "shared", "realworld", "opa")
# Real policies that need no data and no builtin beyond this host's, whatever their input.
REAL = ["rust-opa-wasm-hello", "opa-wasm-browser", "gatekeeper-always-happy", "redfish-coarse"]
INPUT = {"version": "v1", "kind": "performInvocation", "requestId": "x", "now": 1800000000,
         "request": {"interface": "wascc:keyvalue", "function": "Get", "link": "default",
                     "target": {"contractId": "wascc:keyvalue", "link": "default"},
                     "origin": {"componentId": "MCRWPH2GWUEV5FRKWYE565FNCTGAGZ7OR3Q7F4F7ELL5ZVKKR2GEXRS3", "imageRef": "",
                                "claims": {"publicKey": "MCRWPH2GWUEV5FRKWYE565FNCTGAGZ7OR3Q7F4F7ELL5ZVKKR2GEXRS3",
                                           "issuer": "ACODERUVFFAWZQDSS6SBIACUA5O6SXF7HJ3YTYXBALHZP3P7R4BUO4J2",
                                           "issuedAt": "1800000000", "expiresAt": None, "expired": False,
                                           "caps": ["wascc:keyvalue"], "tags": [], "name": "fwd"}}},
         "host": {"publicKey": "", "lattice": "local", "labels": {}}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--seconds", default="1")
    args = parser.parse_args()
    policy = os.path.join(args.build, "share", "examples", "policies", "policy_v3.wasm")
    forwarder = os.path.join(args.build, "share", "examples", "forwarder.wasm")
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(args.build, "aot-cache"))
    ours = json.loads(subprocess.run([os.path.join(args.build, "bench", "policy_bench"), policy, forwarder, args.seconds],
                                     capture_output=True, text=True, check=True, env=env).stdout)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(INPUT, handle)
    node_modules = os.path.abspath(os.path.join(args.build, "npm", "node_modules"))
    v8_us = lambda path: json.loads(subprocess.run(
        ["node", os.path.join(HERE, "policy_bench_peer.mjs"), path, handle.name, node_modules, args.seconds],
        capture_output=True, text=True, check=True).stdout)["evaluate_us_v8"]
    peer = {"evaluate_us_v8": v8_us(policy)}
    real = []
    for name in REAL:
        path = os.path.abspath(os.path.join(REAL_POLICIES, name, "policy.wasm"))
        if not os.path.exists(path):
            continue
        mine = json.loads(subprocess.run([os.path.join(args.build, "bench", "policy_bench"), path, "-", args.seconds],
                                         capture_output=True, text=True, check=True, env=env).stdout)
        real.append((name, mine["evaluate_us_aot"], v8_us(path)))
    os.unlink(handle.name)
    v8 = peer["evaluate_us_v8"]
    print("policy evaluation (performInvocation input, %d bytes), microseconds each:" % len(json.dumps(INPUT)))
    print("  %-34s %10.2f us  1.00x" % ("opa-wasm 1.10 on V8 (peer)", v8))
    for engine in ("aot", "interp"):
        us = ours["evaluate_us_" + engine]
        print("  %-34s %10.2f us  %.2fx of V8's time" % ("wascc " + engine, us, us / v8))
    none = ours["host_call_us_none"]
    print("actor host call (forwarder -> wascc:keyvalue Get, aot), microseconds each:")
    for mode, label in (("none", "no policy"), ("cached", "policy, cached decision"), ("uncached", "policy, uncached")):
        us = ours["host_call_us_" + mode]
        print("  %-34s %10.2f us  +%.2f us" % (label, us, us - none))
    if real:
        print("real OPA policies (opa build -t wasm), same input, microseconds each:")
        for name, aot, v8 in real:
            print("  %-26s aot %7.2f us   V8 %7.2f us   %.2fx faster than V8" % (name, aot, v8, v8 / aot))
    uncached = ours["host_call_us_uncached"] - none
    print("target: an uncached decision under 10 us on aot: %s (%.1f us, stand-in policy)" %
          ("met" if uncached < 10 else "NOT met", uncached))


if __name__ == "__main__":
    main()
