"""A lattice on a nats-server that requires credentials (operator mode, a memory resolver):
runners authenticate with `--nats-creds FILE` or the manifest's `lattice: {nats_creds: FILE}`
(relative to the manifest) and serve one another; without credentials, with a user of an
account the server does not trust, or with a missing file, a runner refuses to start and says
why. Each check prints one line; the exit code is the number of failures (capped)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "runner"))
sys.path.insert(0, HERE)
from lattice_test import CLUSTER_SEED, actor_key, arguments, write_manifest  # noqa: E402
from loopback import free_port, wait_for_port  # noqa: E402
from nats_auth import Trust  # noqa: E402
from runner_test import RESULTS, Runner, check, curl  # noqa: E402


def start(args, manifest, url, *extra):
    return Runner(args.wascc, [manifest, "--lattice", url, "--cluster-seed", CLUSTER_SEED, "--engine", "interp",
                               *extra])


def refused(args, manifest, url, *extra):
    """A runner that must not start: its exit code and last line."""
    out = subprocess.run([args.wascc, "run", manifest, "--lattice", url, "--cluster-seed", CLUSTER_SEED, *extra],
                         capture_output=True, timeout=20)
    lines = out.stderr.decode().strip().splitlines()
    return out.returncode, lines[-1] if lines else ""


def server_tail(scratch):
    """The nats-server's last log lines: why it refused a connection."""
    with open(os.path.join(scratch, "server.log")) as log:
        return "\nnats-server: " + "".join(log.readlines()[-8:])


def run_cases(args, scratch, url, trust, runners):
    creds = os.path.join(scratch, "user.creds")
    with open(creds, "w") as out:
        out.write(trust.creds())
    stranger = os.path.join(scratch, "stranger.creds")  # a user of an account the server does not know
    with open(stranger, "w") as out:
        out.write(Trust().creds())
    echo = actor_key(args, "http_echo_s.wasm")
    port = free_port()
    serving = write_manifest(scratch, "serving", [os.path.join(args.actors, "http_echo_s.wasm")])
    front = os.path.join(scratch, "front.json")
    with open(front, "w") as out:
        json.dump({"actors": [], "capabilities": [{"path": "wascc:http_server"}],
                   "bindings": [{"actor": echo, "capability": "wascc:http_server", "values": {"PORT": str(port)}}],
                   "lattice": {"nats_creds": "user.creds"}}, out)

    runners.append(start(args, serving, url, "--nats-creds", creds))
    check("a runner with --nats-creds joins", runners[-1].wait_for("wascc: ready", 15), runners[-1].stderr())
    runners.append(start(args, front, url))
    check("a runner with nats_creds in its manifest (beside it) joins", runners[-1].wait_for("wascc: ready", 15),
          runners[-1].stderr())
    code, body = 0, ""
    deadline = time.time() + 10
    while time.time() < deadline and code != 200:
        code, body = curl("http://127.0.0.1:%d/creds" % port)
        if code != 200:
            time.sleep(0.1)
    check("HTTP on one, the actor on the other: answered over the authenticated lattice",
          code == 200 and '"path":"/creds"' in body, "%d %s" % (code, body))
    out = subprocess.run([args.wascc, "lattice", "hosts", "--lattice", url, "--nats-creds", creds, "--json"],
                         capture_output=True, timeout=10)
    check("wascc lattice hosts --nats-creds: both runners",
          out.returncode == 0 and len(json.loads(out.stdout or b"[]")) == 2,
          out.stdout.decode() + out.stderr.decode() + server_tail(scratch))

    code, line = refused(args, serving, url)
    check("without credentials: refused, naming the server's answer",
          code == 2 and "cannot connect to %s" % url in line and "Authorization Violation" in line,
          "%d %s" % (code, line))
    code, line = refused(args, serving, url, "--nats-creds", stranger)
    check("a user of an account the server does not trust: refused", code == 2 and "Authorization Violation" in line,
          "%d %s" % (code, line))
    missing = os.path.join(scratch, "missing.creds")
    code, line = refused(args, serving, url, "--nats-creds", missing)
    check("a credentials file that is not there: refused, naming it", code == 2 and missing in line,
          "%d %s" % (code, line))


def main():
    args = arguments(__doc__, "creds_test")
    scratch = tempfile.mkdtemp(prefix="wascc-creds-")
    trust = Trust()
    port = free_port()
    config = os.path.join(scratch, "server.conf")
    with open(config, "w") as out:
        out.write(trust.server_config(port))
    server_log = open(os.path.join(scratch, "server.log"), "w")  # shown with a failed check
    server = subprocess.Popen(["nats-server", "-c", config], stdout=server_log, stderr=subprocess.STDOUT)
    runners = []
    try:
        if not wait_for_port(port):
            sys.exit("creds_test: nats-server did not start")
        run_cases(args, scratch, "nats://127.0.0.1:%d" % port, trust, runners)
    finally:
        for run in runners:
            run.stop()
        server.terminate()
        server.wait(timeout=10)
        server_log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return min(RESULTS["failed"], 100)


if __name__ == "__main__":
    sys.exit(main())
