"""What the compute benchmarks share: the compute guest (bench/guests/compute_guest.c, clang
wasm32 -O2) and its native twin (cc -O2) built from the same kernels, the npm peer
@wapc/host, and JSON from a command."""
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GUESTS = os.path.join(HERE, "guests")


def run_json(command, env=None):
    out = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out)


def build_compute(work):
    """(guest.wasm, native binary) in `work`."""
    guest = os.path.join(work, "compute.wasm")
    native = os.path.join(work, "compute_native")
    subprocess.run(["clang", "--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry",
                    "-I", os.path.join(ROOT, "share", "include"), "-o", guest,
                    os.path.join(GUESTS, "compute_guest.c")], check=True)
    subprocess.run(["cc", "-O2", "-o", native, os.path.join(GUESTS, "compute_native.c")], check=True)
    return guest, native


def peer_modules(build):
    """node_modules with @wapc/host (installed on first use)."""
    npm_dir = os.path.join(build, "npm")
    subprocess.run([os.path.join(ROOT, "tests", "interop", "install_peers.sh"), npm_dir], check=True)
    return os.path.join(npm_dir, "node_modules")


def native_ms(native, kernel, n, repeat):
    """Mean milliseconds per run of one kernel compiled natively."""
    out = subprocess.run([native, kernel, str(n), str(repeat)], check=True, capture_output=True, text=True)
    return float(out.stdout.split()[1])


def peer_run(node_modules, guest, operation, payload, calls, warmup):
    """The same operation on @wapc/host (V8): calls, seconds, calls_per_second, mean_us."""
    return run_json(["node", os.path.join(HERE, "wapc_host_peer.mjs"), node_modules, guest, operation, payload,
                     str(calls), str(warmup)])
