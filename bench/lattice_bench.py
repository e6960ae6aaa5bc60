#!/usr/bin/env python3
"""A call across runners of a lattice beside a bare NATS request/reply of the same payload,
side by side in one run (bench/native/lattice_bench.cpp: one process, one nats-server on
loopback, the same NATS C client for both): latency p50 and p99 of sequential calls, and
throughput with several callers. The actor call in one runner is shown too, as the floor.
Goal (issue #18): a cross-runner call within 1.5x of bare NATS, p99 under 2 ms.

Usage: bench/lattice_bench.py [--build build] [--bytes 100] [--seconds 10] [--threads 8]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "runner"))
from loopback import free_port, wait_for_port  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(os.path.dirname(HERE), "build"))
    parser.add_argument("--bytes", default="100")
    parser.add_argument("--seconds", default="10")
    parser.add_argument("--threads", default="8")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(["nats-server", "-a", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        if not wait_for_port(port):
            sys.exit("lattice_bench: nats-server did not start")
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(args.build, "aot-cache"))
        out = subprocess.run([os.path.join(args.build, "bench", "lattice_bench"), "nats://127.0.0.1:%d" % port,
                              os.path.join(args.build, "share", "examples", "forwarder.wasm"), args.bytes,
                              args.seconds, args.threads], capture_output=True, text=True, check=True, env=env).stdout
    finally:
        server.terminate()
        server.wait()
    result = json.loads(out)
    bare = result["nats"]
    print("%s-byte payload, loopback, one nats-server; %s callers for throughput" % (args.bytes, args.threads))
    print("  %-34s %9s %9s %12s %8s" % ("", "p50 us", "p99 us", "calls/s", "failed"))
    for name, label in (("nats", "bare NATS request/reply"), ("lattice", "actor on another runner"),
                        ("local", "actor in the same runner")):
        m = result[name]
        print("  %-34s %9.1f %9.1f %12.0f %8d" % (label, m["p50_us"], m["p99_us"], m["calls_per_second"],
                                                  m["failures"]))
    costs = result["invocation_us"]
    print("  one invocation alone, us: make %.1f (the Ed25519 signature %.1f), encode %.1f, decode %.1f, verify %.1f "
          "(the Ed25519 check %.1f, the token's base64 and JSON %.1f)" %
          (costs["make"], costs["sign_only"], costs["encode"], costs["decode"], costs["verify"],
           costs["signature_only"], costs["token_decode"]))
    across = result["lattice"]
    ratio = across["p50_us"] / bare["p50_us"]
    throughput = bare["calls_per_second"] / across["calls_per_second"]
    print("cross-runner / bare NATS: %.2fx the p50 latency, %.2fx fewer calls/s" % (ratio, throughput))
    met = ratio <= 1.5 and across["p99_us"] < 2000
    print("goal (within 1.5x of bare NATS, p99 under 2 ms): %s" % ("met" if met else "NOT met"))


if __name__ == "__main__":
    main()
