#!/usr/bin/env python3
"""waPC call speed, side by side with the real peer host @wapc/host (node, V8) on the same
guests: echo round trips per second, and a compute-heavy guest (recursive fib, an FNV hash
loop) next to the same C code compiled natively. Prints a table with ratios.

Also: cold start of `wapc call` (a cached native artifact, and the interpreter) and peak RSS.
Targets (issue #5): aot within 1.2x of native and ahead of V8 on compute; echo at least 2x
@wapc/host; a cold call with a cached artifact under 5 ms.

Usage: bench/wapc_bench.py [--build build] [--engines interp,aot] [--quick]
"""
import argparse
import os
import statistics
import time
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from bench_guests import build_compute, native_ms, peer_modules, peer_run, run_json  # noqa: E402


def cold_start(command, runs, env):
    """Median wall time of `command` and the largest peak RSS over `runs` runs."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss)
        if status != 0:
            raise SystemExit("failed: " + " ".join(command))
    return statistics.median(times), max(peaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--engines", default="interp,aot", help="comma-separated wapc engines")
    parser.add_argument("--quick", action="store_true", help="fewer calls (a smoke run)")
    args = parser.parse_args()

    wapc = os.path.join(args.build, "tools", "wapc", "wapc")
    node_modules = peer_modules(args.build)
    engines = args.engines.split(",")
    echo_calls = 2000 if args.quick else 50000
    fib_n, fib_calls = ("20", 5) if args.quick else ("27", 10)
    hash_n, hash_calls = ("20", 5) if args.quick else ("300", 10)

    with tempfile.TemporaryDirectory() as work:
        guest, native = build_compute(work)

        rows = []  # (workload, runner, value, unit)
        peer = lambda op, payload, calls, warmup: peer_run(node_modules, guest, op, payload, calls, warmup)
        ours = lambda engine, op, payload, calls, warmup: run_json(
            [wapc, "bench", guest, op, payload, "-n", str(calls), "--warmup", str(warmup), "--engine", engine,
             "--timeout", "10m", "--json"])

        # Echo: calls per second (higher is better).
        echo = {"@wapc/host (V8)": peer("echo", "hello", echo_calls, 1000)["calls_per_second"]}
        for engine in engines:
            echo["wapc " + engine] = ours(engine, "echo", "hello", echo_calls, 1000)["calls_per_second"]
        # Compute: milliseconds per call (lower is better).
        compute = {}
        for op, n, calls in (("fib", fib_n, fib_calls), ("hash", hash_n, hash_calls)):
            results = {"native (cc -O2)": native_ms(native, op, n, calls)}
            results["@wapc/host (V8)"] = peer(op, n, calls, 2)["mean_us"] / 1000
            for engine in engines:
                results["wapc " + engine] = ours(engine, op, n, calls, 1)["mean_us"] / 1000
            compute[f"{op}({n})"] = results

        # Cold start: one `wapc call` per process, the artifact already cached.
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
        subprocess.run([wapc, "compile", guest], check=True, capture_output=True, env=env)
        cold = {}
        for engine in engines:
            cold[engine] = cold_start([wapc, "call", guest, "echo", "hi", "--engine", engine], 30, env)
        peer_start = time.perf_counter()
        peer("echo", "hi", 1, 0)
        cold["@wapc/host (node)"] = (time.perf_counter() - peer_start, 0)

    print("echo round trips (payload 'hello'), calls/s, higher is better")
    base = echo["@wapc/host (V8)"]
    for name, value in echo.items():
        print(f"  {name:22} {value:12,.0f}   {value / base:6.2f}x @wapc/host")
    for workload, results in compute.items():
        print(f"{workload}, ms per call, lower is better")
        for name, value in results.items():
            print(f"  {name:22} {value:12.3f}   {value / results['native (cc -O2)']:8.1f}x native"
                  f"   {value / results['@wapc/host (V8)']:8.2f}x V8")
    print("cold start: one call in a new process (native artifact cached), median of 30")
    for name, (seconds, peak_kb) in cold.items():
        rss = f"   peak RSS {peak_kb / 1024:.1f} MiB" if peak_kb else ""
        print(f"  {name:22} {seconds * 1000:9.2f} ms{rss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
