#!/usr/bin/env python3
"""HTTP throughput against nginx: nginx answering the echo's reply as a static `return 200`
(the limit), the same echo as a native handler on wascc's own HTTP server
(bench/native/native_http_echo.cpp), and the example HTTP echo actor under `wascc run` on AOT
with 1, 2 and one-per-core instances and on the interpreter. wrk drives each over loopback in
alternating rounds; prints the median requests/s, the ratio to nginx, wrk's errors, p99
latency and peak RSS. Goal (issue #17): the actor on AOT >= 0.8x nginx, p99 within 2x, 0 errors.

Usage: bench/http_bench.py [--build build] [--seconds 5] [--rounds 3] [--connections 8]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "runner"))
from loopback import free_port, wait_for_port  # noqa: E402

ECHO_REPLY = '{"method":"GET","path":"/bench/path","query_string":"x=1","body":""}'


def nginx_command(port, directory):
    """nginx with one worker per core, keep-alive without a request cap, no logs."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        return None
    config = os.path.join(directory, "nginx.conf")
    with open(config, "w") as out:
        out.write("""worker_processes auto;
daemon off;
master_process on;
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path %(dir)s;
  server {
    listen 127.0.0.1:%(port)d;
    location / { default_type application/json; return 200 '%(reply)s'; }
  }
}
""" % {"dir": directory, "port": port, "reply": ECHO_REPLY})
    return [nginx, "-c", config, "-p", directory]


def peak_rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def wrk_errors(out):
    """Socket errors and non-2xx answers in wrk's report."""
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return errors


def wrk(port, seconds, connections):
    out = subprocess.run(["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency",
                          "http://127.0.0.1:%d/bench/path?x=1" % port], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = wrk_errors(out)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1)
    return rate, errors, p99


def stop(servers):
    for process, _ in servers.values():
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=15)


def live_update_under_load(wascc, actor, env, scratch, seconds, connections):
    """The AOT actor under wrk while its file is replaced twice (wascc run --watch): every
    request must still be answered. Answers (requests, errors, reloads seen)."""
    watched = os.path.join(scratch, "watched_s.wasm")
    shutil.copyfile(actor, watched)
    port = free_port()
    log = open(os.path.join(scratch, "watched.log"), "w+")  # info: the reload lines (and the access lines)
    process = subprocess.Popen([wascc, "run", watched, "--engine", "aot", "--watch",
                                "--bind", "wascc:http_server?PORT=%d" % port],
                               stdout=subprocess.DEVNULL, stderr=log, env=env)
    try:
        if not wait_for_port(port, timeout=300):
            sys.exit("http_bench: the watched actor did not start")
        load = subprocess.Popen(["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds,
                                 "http://127.0.0.1:%d/bench/path?x=1" % port], stdout=subprocess.PIPE, text=True)
        for _ in range(2):
            time.sleep(seconds / 3)
            shutil.copyfile(actor, watched + ".new")  # a new file, renamed over: what a deploy does
            os.utime(watched + ".new", (time.time() + 5, time.time() + 5))
            os.replace(watched + ".new", watched)
        out = load.communicate()[0]
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.seek(0)
        stderr = log.read()
        log.close()
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return requests, wrk_errors(out), stderr.count("wascc: reloaded ")


def p99_ms(text):
    value = float(re.match(r"[\d.]+", text).group(0))
    return value / 1000 if text.endswith("us") else value * 1000 if text.endswith("s") and not text.endswith("ms") else value


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
    cores = os.cpu_count() or 1
    scratch = tempfile.mkdtemp(prefix="http_bench.")

    labels = {"nginx": "nginx static (limit)", "native": "native handler"}
    commands = {}
    port = free_port()
    command = nginx_command(port, scratch)
    if command is None:
        # Not in scripts/setup.sh: its package starts a server on port 80 where it can.
        sys.exit("http_bench: nginx is not installed (apt-get install nginx-light)")
    commands["nginx"] = (command, port)
    port = free_port()
    commands["native"] = ([native, str(port)], port)
    for engine, counts in (("aot", sorted({1, 2, cores})), ("interp", sorted({1, cores}))):
        for count in counts:
            name = "%s x%d" % (engine, count)
            labels[name] = "actor, %s, %d inst." % (engine, count)
            port = free_port()
            # --log-level warn: no access line per request, as nginx runs here with access_log off
            # (the access log at info costs 15-25% of the throughput, one write(2) per line).
            commands[name] = ([wascc, "run", actor, "--engine", engine, "--max-instances", str(count), "--log-level", "warn",
                               "--bind", "wascc:http_server?PORT=%d" % port], port)

    servers = {}
    try:
        for name, (command, port) in commands.items():
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            servers[name] = (process, port)
            if not wait_for_port(port, timeout=300):
                sys.exit("http_bench: %s did not start" % name)
        rates = {name: [] for name in servers}
        errors = {name: 0 for name in servers}
        p99s = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, (process, port) in servers.items():
                rate, failed, p99 = wrk(port, args.seconds, args.connections)
                rates[name].append(rate)
                errors[name] += failed
                p99s[name].append(p99_ms(p99))
        rss = {name: peak_rss_kib(process.pid) for name, (process, _) in servers.items()}
        stop(servers)  # the cores to the next measurement alone
        live = live_update_under_load(wascc, actor, env, scratch, args.seconds, args.connections)
    finally:
        stop(servers)
        shutil.rmtree(scratch, ignore_errors=True)

    limit = statistics.median(rates["nginx"])
    limit_p99 = statistics.median(p99s["nginx"])
    print("wrk -t2 -c%d, %d s x %d rounds, loopback, GET /bench/path?x=1, %d cores (median of rounds)" %
          (args.connections, args.seconds, args.rounds, cores))
    print("%-26s %10s %9s %8s %10s %10s" % ("server", "req/s", "x nginx", "errors", "p99 ms", "peak RSS"))
    for name in servers:
        rate = statistics.median(rates[name])
        memory = "%7.1f MiB" % (rss[name] / 1024) if name != "nginx" else "%10s" % "-"
        print("%-26s %10.0f %8.2fx %8d %10.2f %s" % (labels[name], rate, rate / limit, errors[name],
                                                      statistics.median(p99s[name]), memory))
    best = "aot x%d" % cores
    ratio = statistics.median(rates[best]) / limit
    p99_ratio = statistics.median(p99s[best]) / limit_p99
    print("live update under load (aot, --watch, the file replaced twice during %d s): %d requests, %d errors, "
          "%d reloads" % (args.seconds, live[0], live[1], live[2]))
    met = ratio >= 0.8 and p99_ratio <= 2 and errors[best] == 0 and live[1] == 0 and live[2] == 2
    print("goal: %s >= 0.80x nginx, p99 <= 2x nginx's, 0 errors, no request lost in a live update: %s (%.2fx, p99 %.1fx)" %
          (labels[best], "met" if met else "NOT met", ratio, p99_ratio))


if __name__ == "__main__":
    main()
