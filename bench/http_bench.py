#!/usr/bin/env python3
"""HTTP actor throughput: the example HTTP echo actor under `wascc run` (AOT and interpreter
engines), side by side with the same echo as a plain native handler on the same HTTP library
(bench/native/native_http_echo.cpp, the limit). wrk drives each over loopback for a bounded
time, in alternating rounds; prints requests/s, the ratio to native, wrk's error counts and
the runner's peak RSS. Goal (issue #6): the AOT actor at >= 50% of native, 0 errors.

Usage: bench/http_bench.py [--build build] [--seconds 5] [--rounds 3] [--connections 8]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "runner"))
from loopback import free_port, wait_for_port  # noqa: E402


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def wrk(port, seconds, connections):
    out = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency",
                          "http://127.0.0.1:%d/bench/path?x=1" % port], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    return rate, errors, p99


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    wascc = os.path.join(args.build, "tools", "wascc_cli", "wascc")
    native = os.path.join(args.build, "bench", "native_http_echo")
    actor = os.path.join(args.build, "share", "examples", "actors", "http_echo_s.wasm")
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(args.build, "aot-cache"))

    servers = {}
    for name in ("native", "aot", "interp"):
        port = free_port()
        if name == "native":
            command = [native, str(port)]
        else:
            command = [wascc, "run", actor, "--engine", name, "--bind", "wascc:http_server?PORT=%d" % port]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        if not wait_for_port(port):
            sys.exit("http_bench: %s did not start" % name)
        servers[name] = (process, port)

    rates = {name: [] for name in servers}
    errors = {name: 0 for name in servers}
    p99s = {name: [] for name in servers}
    try:
        for _ in range(args.rounds):
            for name, (process, port) in servers.items():
                rate, failed, p99 = wrk(port, args.seconds, args.connections)
                rates[name].append(rate)
                errors[name] += failed
                p99s[name].append(p99)
        rss = {name: peak_rss_kib(process.pid) for name, (process, _) in servers.items()}
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=15)

    native_rate = statistics.median(rates["native"])
    print("wrk -t2 -c%d, %d s x %d rounds, loopback, GET /bench/path?x=1 (median req/s)" %
          (args.connections, args.seconds, args.rounds))
    print("%-22s %12s %9s %8s %10s %10s" % ("server", "req/s", "ratio", "errors", "p99", "peak RSS"))
    for name in servers:
        rate = statistics.median(rates[name])
        label = {"native": "native handler (limit)", "aot": "echo actor, aot", "interp": "echo actor, interp"}[name]
        print("%-22s %12.0f %8.2fx %8d %10s %7.1f MiB" % (label, rate, rate / native_rate, errors[name],
                                                            p99s[name][-1], rss[name] / 1024))
    aot_ratio = statistics.median(rates["aot"]) / native_rate
    print("goal: aot >= 0.50x native with 0 errors: %s (%.2fx)" %
          ("met" if aot_ratio >= 0.5 and errors["aot"] == 0 else "NOT met", aot_ratio))


if __name__ == "__main__":
    main()
