"""Runners joined over NATS (the lattice), on loopback: a 3-node nats-server cluster on free
ports, runners each given all three URLs (each its own node first), driven over HTTP.
Cases: an HTTP request on one runner answered by an actor on others, byte for byte as a
local run answers; actor to actor and actor to provider across runners; three replicas
sharing 3,000 calls; kill -9 of a replica, SIGSTOP of a replica, kill -9 of a NATS node and
SIGTERM of a replica under load with no failed call; `wascc lattice hosts|actors|providers`.
Each check prints one line; the exit code is the number of failures (capped)."""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "runner"))
from loopback import free_port, wait_for_port  # noqa: E402
from runner_test import RESULTS, Runner, check, curl  # noqa: E402

CLUSTER_SEED = "SCAPU3CEXQANPXCHAMDQQQ5PUVTY6HD4NOTQ3GFBS4LEKAMXYEDTR5PA44"  # a test key, public on purpose


class NatsCluster:
    """Three nats-server nodes routed to each other."""

    def __init__(self, scratch, size=3):
        self.ports = [free_port() for _ in range(size)]
        routes = [free_port() for _ in range(size)]
        self.procs = []
        for i in range(size):
            others = ",".join("nats://127.0.0.1:%d" % routes[j] for j in range(size) if j != i)
            self.procs.append(subprocess.Popen(
                ["nats-server", "-a", "127.0.0.1", "-p", str(self.ports[i]), "-n", "node%d" % i,
                 "--cluster_name", "lattice-test", "--cluster", "nats://127.0.0.1:%d" % routes[i],
                 "--routes", others], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        if not all(wait_for_port(port) for port in self.ports):
            self.stop()
            sys.exit("lattice_test: nats-server did not start")
        time.sleep(0.5)  # routes form

    def urls(self, first):
        order = self.ports[first:] + self.ports[:first]
        return ",".join("nats://127.0.0.1:%d" % port for port in order)

    def kill(self, node):
        self.procs[node].kill()
        self.procs[node].wait()

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)


def actor_key(args, name):
    out = subprocess.run([args.wascap, "inspect", os.path.join(args.actors, name), "--json"], capture_output=True,
                         check=True)
    return json.loads(out.stdout)["sub"]


def write_manifest(scratch, name, actors=(), capabilities=(), bindings=()):
    path = os.path.join(scratch, name + ".json")
    with open(path, "w") as out:
        json.dump({"actors": list(actors), "capabilities": [{"path": c} for c in capabilities],
                   "bindings": [{"actor": a, "capability": c, "values": v} for a, c, v in bindings]}, out)
    return path


def start_runner(args, cluster, manifest, node, metrics_port=None):
    extra = ["--metrics", "127.0.0.1:%d" % metrics_port] if metrics_port else []
    return Runner(args.wascc, [manifest, "--lattice", cluster.urls(node), "--cluster-seed", CLUSTER_SEED,
                               "--rpc-timeout", "2s", "--retries", "2", "--engine", "interp", *extra])


def metric(metrics_port, name, label):
    """The sum of a counter's series whose labels contain `label` (e.g. 'outcome="expired"')."""
    _, text = curl("http://127.0.0.1:%d/metrics" % metrics_port)
    total = 0
    for line in text.splitlines():
        if line.startswith(name + "{") and label in line or line.startswith(name + " ") and not label:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def actor_calls(metrics_port, key):
    return metric(metrics_port, "wascc_actor_calls_total", 'actor="%s"' % key)


class Load:
    """`calls` POSTs spread over `threads` keep-alive connections; counts what was not a 200."""

    def __init__(self, port, calls, threads=4):
        self.failures = []
        self.done = 0
        self.lock = threading.Lock()
        per = calls // threads
        self.threads = [threading.Thread(target=self._run, args=(port, per), daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def _run(self, port, calls):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for i in range(calls):
            try:
                connection.request("POST", "/load", body=b"n%d" % i)
                response = connection.getresponse()
                body = response.read()
                ok = response.status == 200 and b'"body":"n%d"' % i in body
                detail = "%d %s" % (response.status, body[:200])
            except (OSError, http.client.HTTPException) as error:
                ok, detail = False, repr(error)
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with self.lock:
                self.done += 1
                if not ok:
                    self.failures.append(detail)

    def wait(self):
        for thread in self.threads:
            thread.join(timeout=60)
        return self.failures


def arguments(description, test_name):
    """--wascc, --wascap and --actors; exits when nats-server is not installed."""
    parser = argparse.ArgumentParser(description=description)
    for name in ("wascc", "wascap", "actors"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    if shutil.which("nats-server") is None:
        sys.exit("%s: nats-server is not installed (scripts/setup.sh installs it)" % test_name)
    return args


def main():
    args = arguments(__doc__, "lattice_test")
    scratch = tempfile.mkdtemp(prefix="wascc-lattice-")
    cluster = NatsCluster(scratch)
    runners = {}
    try:
        run_cases(args, scratch, cluster, runners)
    finally:
        for run in runners.values():
            if run.proc.poll() is None:
                run.proc.send_signal(signal.SIGCONT)
                run.stop()
        cluster.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return min(RESULTS["failed"], 100)


def run_cases(args, scratch, cluster, runners):
    echo = actor_key(args, "http_echo_s.wasm")
    kvcounter = actor_key(args, "kvcounter_s.wasm")
    pinger = actor_key(args, "pinger_s.wasm")
    actor = lambda name: os.path.join(args.actors, name)  # noqa: E731
    http_echo, http_ping, http_kv = free_port(), free_port(), free_port()
    # Runner 1: HTTP only for the echo actor (which runs elsewhere), the pinger and kvcounter
    # with their HTTP; runner 2: an echo replica and the ponger; runner 3: an echo replica and
    # the key-value store kvcounter uses; runner 4 (node 1 again): a third echo replica.
    manifests = {
        "r1": write_manifest(scratch, "r1", [actor("pinger_s.wasm"), actor("kvcounter_s.wasm")], ["wascc:http_server"],
                             [(echo, "wascc:http_server", {"PORT": str(http_echo)}),
                              (pinger, "wascc:http_server", {"PORT": str(http_ping)}),
                              (kvcounter, "wascc:http_server", {"PORT": str(http_kv)})]),
        "r2": write_manifest(scratch, "r2", [actor("http_echo_s.wasm"), actor("ponger_s.wasm")]),
        "r3": write_manifest(scratch, "r3", [actor("http_echo_s.wasm")], ["wascc:keyvalue"],
                             [(kvcounter, "wascc:keyvalue", {})]),
        "r4": write_manifest(scratch, "r4", [actor("http_echo_s.wasm")]),
    }
    metrics = {name: free_port() for name in manifests}
    # Runner 1 first, alone: its binding to the echo actor waits for a runner that has it.
    runners["r1"] = start_runner(args, cluster, manifests["r1"], 0, metrics["r1"])
    check("r1: ready before any runner has the echo actor, its binding waiting",
          runners["r1"].wait_for("wascc: ready", 15) and
          any("waits for actor %s to join the lattice" % echo in line for line in runners["r1"].lines),
          runners["r1"].stderr())
    for node, name in enumerate(manifests):
        if name != "r1":
            runners[name] = start_runner(args, cluster, manifests[name], node % 3, metrics[name])
    for name, run in runners.items():
        check("%s: ready" % name, run.wait_for("wascc: ready", 15), run.stderr())
    check("r1: the echo actor joined, and the waiting binding was made",
          runners["r1"].wait_for("bound to actor %s, which joined the lattice" % echo, 10), runners["r1"].stderr())

    code, body = curl("http://127.0.0.1:%d/hi/there?x=1&y=2" % http_echo, "-d", 'hello "world"')
    check("HTTP on runner 1, actor on another runner: the local answer, byte for byte",
          code == 200 and body ==
          '{"method":"POST","path":"/hi/there","query_string":"x=1&y=2","body":"hello \\"world\\""}', body)
    code, body = curl("http://127.0.0.1:%d/" % http_ping, "-d", "ball")
    check("actor to actor across runners (call alias)", (code, body) == (200, "pong: ball"), "%d %s" % (code, body))
    first = curl("http://127.0.0.1:%d/hits" % http_kv)
    second = curl("http://127.0.0.1:%d/hits" % http_kv)
    check("actor on runner 1 uses the key-value provider of runner 3",
          first[0] == 200 and second[0] == 200 and first[1] != second[1] and '"counter":2' in second[1],
          "%s / %s" % (first, second))

    replicas = ["r2", "r3", "r4"]
    before = {name: actor_calls(metrics[name], echo) for name in replicas}
    failures = Load(http_echo, 3000).wait()
    shares = {name: actor_calls(metrics[name], echo) - before[name] for name in replicas}
    total = sum(shares.values())
    check("three replicas share 3,000 calls, each 25-42%", not failures and total == 3000 and
          all(0.25 <= share / total <= 0.42 for share in shares.values()), "%s %s" % (shares, failures[:3]))

    check_hosts(args, cluster, 4)
    check_links(args, cluster, {(echo, "wascc:http_server", str(http_echo)), (pinger, "wascc:http_server", str(http_ping)),
                                (kvcounter, "wascc:http_server", str(http_kv)), (kvcounter, "wascc:keyvalue", None)})
    load = Load(http_echo, 1200)
    time.sleep(0.3)
    runners["r4"].proc.kill()
    failures = load.wait()
    check("kill -9 of a replica mid-stream: 0 failed calls", not failures, str(failures[:3]))

    load = Load(http_echo, 2000)
    time.sleep(0.2)
    runners["r3"].proc.send_signal(signal.SIGSTOP)
    time.sleep(3)
    runners["r3"].proc.send_signal(signal.SIGCONT)
    failures = load.wait()
    check("SIGSTOP of a replica for 3 s: 0 failed calls", not failures, str(failures[:3]))
    check("the caller retried those on another replica (wascc_lattice_retries_total)",
          metric(metrics["r1"], "wascc_lattice_retries_total", "") > 0)
    time.sleep(1)
    refused = [line for line in runners["r3"].lines if "deadline passed" in line]
    expired = metric(metrics["r3"], "wascc_lattice_invocations_total", 'outcome="expired"')
    check("after SIGCONT: invocations past their deadline refused, never run", refused and expired >= len(refused),
          "%d expired, %d lines: %s" % (expired, len(refused), runners["r3"].stderr()[-2000:]))

    load = Load(http_echo, 1500)
    time.sleep(0.2)
    cluster.kill(1)  # runner 2's first node
    failures = load.wait()
    check("kill -9 of one nats-server: 0 failed calls", not failures, str(failures[:3]))

    load = Load(http_echo, 1500)
    time.sleep(0.2)
    code = runners["r2"].stop()
    failures = load.wait()
    check("SIGTERM of a replica under load: drained, 0 failed calls", code == 0 and not failures,
          "exit %s %s" % (code, failures[:3]))


def check_hosts(args, cluster, expected):
    out = subprocess.run([args.wascc, "lattice", "hosts", "--lattice", cluster.urls(0), "--json"], capture_output=True,
                         timeout=10)
    hosts = json.loads(out.stdout or b"[]")
    check("wascc lattice hosts: every runner", out.returncode == 0 and len(hosts) == expected and
          all(re.fullmatch(r"N[A-Z2-7]{55}", host["host_id"]) for host in hosts), out.stdout.decode())
    out = subprocess.run([args.wascc, "lattice", "actors", "--lattice", cluster.urls(2)], capture_output=True,
                         timeout=10)
    lines = out.stdout.decode().splitlines()
    echo_line = [line for line in lines if "http_echo" in line]
    check("wascc lattice actors: the echo actor on three runners",
          out.returncode == 0 and len(echo_line) == 1 and echo_line[0].count(",") == 2, out.stdout.decode())


def check_links(args, cluster, expected):
    """The bindings of runners 1 and 3 as link definitions in the lattice's JetStream bucket."""
    out = subprocess.run([args.wascc, "lattice", "links", "--lattice", cluster.urls(1), "--json"],
                         capture_output=True, timeout=10)
    links = json.loads(out.stdout or b"[]")
    seen = {(link["actor_id"], link["contract_id"], link["values"].get("PORT")) for link in links}
    check("wascc lattice links: every binding of the lattice, from its bucket",
          out.returncode == 0 and seen == expected and all(len(link["id"]) == 64 for link in links),
          out.stdout.decode() + out.stderr.decode())


if __name__ == "__main__":
    sys.exit(main())
