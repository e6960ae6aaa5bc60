#!/usr/bin/env python3
"""Signed actors in a real OCI registry: Debian's docker-registry (the CNCF distribution server)
on a free loopback port with a temporary storage directory. wascap push/pull against it, a
module tampered with inside the registry, a digest that does not match, and wascc run oci://.
Prints one line per check and "N passed, N failed"; exit 0 only when all pass."""
import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "runner"))
from loopback import free_port, wait_for_port  # noqa: E402

results = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    results["passed" if ok else "failed"] += 1
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else "\n     " + str(detail)[:600]))


def run(*command, **kwargs):
    return subprocess.run(list(command), capture_output=True, text=True, timeout=120, **kwargs)


def start_registry(scratch):
    port = free_port()
    config = os.path.join(scratch, "registry.yml")
    with open(config, "w") as out:
        out.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: %s\n"
                  "http:\n  addr: 127.0.0.1:%d\n" % (os.path.join(scratch, "storage"), port))
    registry = subprocess.Popen(["docker-registry", "serve", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_for_port(port, timeout=20):
        sys.exit("registry_test: docker-registry did not start")
    return registry, port


def put_raw(port, repository, tag, wasm):
    """Stores `wasm` as an actor layer without wascap: what a tampered registry would serve."""
    base = "http://127.0.0.1:%d/v2/%s" % (port, repository)
    def upload(data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        start = urllib.request.urlopen(urllib.request.Request(base + "/blobs/uploads/", method="POST", data=b""))
        location = start.headers["Location"]
        if location.startswith("/"):
            location = "http://127.0.0.1:%d%s" % (port, location)
        urllib.request.urlopen(urllib.request.Request(location + ("&" if "?" in location else "?") + "digest=" + digest,
                                                      method="PUT", data=data,
                                                      headers={"Content-Type": "application/octet-stream"}))
        return digest
    config = upload(b"{}")
    layer = upload(wasm)
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.wasmcloud.actor.archive.config", "digest": config, "size": 2},
                "layers": [{"mediaType": "application/vnd.module.wasm.content.layer.v1+wasm", "digest": layer,
                            "size": len(wasm)}]}
    urllib.request.urlopen(urllib.request.Request(base + "/manifests/" + tag, method="PUT", data=json.dumps(manifest).encode(),
                                                  headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wascap", required=True)
    parser.add_argument("--wascc", required=True)
    parser.add_argument("--actor", required=True, help="a signed actor (http_echo_s.wasm)")
    parser.add_argument("--unsigned", required=True, help="an unsigned module")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="wascc-registry-")
    registry, port = start_registry(scratch)
    host = "localhost:%d" % port
    try:
        pushed = run(args.wascap, "push", host + "/echo:0.1.0", args.actor, "--json")
        digest = json.loads(pushed.stdout)["digest"] if pushed.returncode == 0 else ""
        check("push: a signed actor goes up", pushed.returncode == 0 and digest.startswith("sha256:"), pushed.stderr)
        pulled = os.path.join(scratch, "pulled.wasm")
        got = run(args.wascap, "pull", host + "/echo:0.1.0", "-o", pulled)
        same = got.returncode == 0 and open(pulled, "rb").read() == open(args.actor, "rb").read()
        check("pull: the same bytes come down", same, got.stderr)
        by_digest = subprocess.run([args.wascap, "pull", "%s/echo@%s" % (host, digest), "-o", "-"], capture_output=True, timeout=60)
        check("pull: by manifest digest, to stdout", by_digest.returncode == 0 and by_digest.stdout == open(args.actor, "rb").read(),
              by_digest.stderr)
        wrong = run(args.wascap, "pull", "%s/echo@sha256:%s" % (host, "0" * 64), "-o", os.path.join(scratch, "x.wasm"))
        check("pull: an unknown digest fails (exit 1), nothing written",
              wrong.returncode == 1 and not os.path.exists(os.path.join(scratch, "x.wasm")), wrong.stderr)

        unsigned = run(args.wascap, "push", host + "/raw:1", args.unsigned)
        check("push: an unsigned module is refused (exit 1)", unsigned.returncode == 1 and "not signed" in unsigned.stderr,
              unsigned.stderr)
        absent = run(args.wascap, "pull", host + "/raw:1", "-o", os.path.join(scratch, "raw.wasm"))
        check("push: ...and nothing reached the registry", absent.returncode == 1 and "MANIFEST_UNKNOWN" in absent.stderr,
              absent.stderr)

        # One more custom section (id 0, 4 bytes: name "x", payload ab cd): the claims' hash no
        # longer matches the module.
        tampered = open(args.actor, "rb").read() + bytes([0x00, 0x04, 0x01, ord("x"), 0xAB, 0xCD])
        put_raw(port, "tampered", "1", bytes(tampered))
        target = os.path.join(scratch, "tampered.wasm")
        bad = run(args.wascap, "pull", host + "/tampered:1", "-o", target)
        check("pull: a module that does not verify is not written (exit 1)",
              bad.returncode == 1 and not os.path.exists(target) and "hash" in bad.stderr, bad.stderr)

        refused = run(args.wascap, "pull", "registry-without-port/x:1")
        check("pull: a reference without a registry host is a usage error (exit 2)", refused.returncode == 2, refused.stderr)

        http_port = free_port()
        env = dict(os.environ)
        host_proc = subprocess.Popen([args.wascc, "run", "oci://%s/echo:0.1.0" % host, "--engine", "interp", "--bind",
                                      "wascc:http_server?PORT=%d" % http_port], stderr=subprocess.PIPE, text=True, env=env)
        served = wait_for_port(http_port, timeout=30)
        body = urllib.request.urlopen("http://127.0.0.1:%d/from/registry" % http_port, timeout=10).read().decode() if served else ""
        host_proc.send_signal(signal.SIGTERM)
        host_proc.wait(timeout=15)
        check("wascc run oci://: the pulled actor serves", '"path":"/from/registry"' in body, body)
        tampered_run = run(args.wascc, "call", "oci://%s/tampered:1" % host, "HandleRequest", "{}", "--engine", "interp")
        check("wascc call oci://: a tampered actor is refused at load (exit 1)",
              tampered_run.returncode == 1 and "actor refused" in tampered_run.stderr, tampered_run.stderr)
    finally:
        registry.terminate()
        registry.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    return 0 if results["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
