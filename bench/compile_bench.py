#!/usr/bin/env python3
"""AOT compile time and peak memory (issue #16): `wapc compile` of real modules into a fresh
cache, the wall time and the peak RSS of the compile (wapc and the C compilers it runs), with the
generated C split per Toolchain::split_bytes and with it whole (WASCC_AOT_SPLIT_BYTES=0 is the
default split; a huge value compiles whole). Modules: the largest of ../shared/realworld, sql.js
from npm (an Emscripten build of SQLite, when npm can fetch it), and a generated module of
--generated MB of code.

Goal: a 688 KB Emscripten module in <= 10 s on 2 cores with <= 300 MB peak RSS.

Usage: bench/compile_bench.py [--build build] [--generated 2] [--whole] [MODULE.wasm ...]
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REALWORLD = os.path.join(os.path.dirname(ROOT), "shared", "realworld")


def compile_once(wapc, module, env):
    """(seconds, peak RSS in MiB) of one `wapc compile` into a fresh cache."""
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        process = subprocess.Popen([wapc, "compile", module], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   env=dict(env, XDG_CACHE_HOME=cache))
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            sys.exit("compile_bench: %s: %s" % (module, process.stderr.read().decode()[-500:]))
        return seconds, usage.ru_maxrss / 1024  # the largest of wapc and the compilers it waited for


def sql_js(work):
    """sql.js's wasm from npm, or None when npm cannot fetch it."""
    try:
        subprocess.run(["npm", "pack", "sql.js@1.8.0", "--pack-destination", work], check=True, capture_output=True,
                       timeout=120)
        subprocess.run(["tar", "xzf", os.path.join(work, "sql.js-1.8.0.tgz"), "-C", work], check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return os.path.join(work, "package", "dist", "sql-wasm.wasm")


def generated(work, megabytes, watc):
    """A module of about `megabytes` MB of code: many functions of arithmetic, loops and calls."""
    path = os.path.join(work, "generated.wat")
    functions = max(1, int(megabytes * 1024 * 1024 / 600))
    with open(path, "w") as out:
        out.write("(module (memory 1)\n")
        for i in range(functions):
            callee = "(call $f%d (local.get 0))" % (i - 1) if i else "(local.get 0)"
            out.write("(func $f%d (param i32) (result i32) (local i32)\n"
                      " (block $done (loop $next (br_if $done (i32.ge_u (local.get 1) (i32.const %d)))\n"
                      "  (i32.store (i32.and (local.get 1) (i32.const 1023)) (i32.add (i32.load (local.get 1))"
                      " (i32.mul (local.get 0) (i32.const %d))))\n"
                      "  (local.set 1 (i32.add (local.get 1) (i32.const 1))) (br $next)))\n"
                      " (i32.xor %s (i32.const %d)))\n" % (i, 8 + i % 5, i * 7 + 1, callee, i))
        out.write('(export "run" (func $f%d)))\n' % (functions - 1))
    wasm = os.path.join(work, "generated.wasm")
    subprocess.run([watc, path, "-o", wasm], check=True)
    return wasm


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--generated", type=float, default=2.0, help="MB of generated code (0: none)")
    parser.add_argument("--whole", action="store_true", help="also compile each module whole, for comparison")
    parser.add_argument("modules", nargs="*")
    args = parser.parse_args()
    wapc = os.path.join(args.build, "tools", "wapc", "wapc")
    watc = os.path.join(args.build, "tools", "watc", "watc")
    with tempfile.TemporaryDirectory() as work:
        modules = list(args.modules)
        if not modules:
            realworld = sorted(glob.glob(os.path.join(REALWORLD, "*", "*.wasm")), key=os.path.getsize)
            modules = realworld[-3:]
            found = sql_js(work)
            if found:
                modules.append(found)
            if args.generated > 0:
                modules.append(generated(work, args.generated, watc))
        print("%-44s %9s %12s %12s" % ("module", "size", "split", "whole" if args.whole else ""))
        for module in modules:
            split = compile_once(wapc, module, os.environ)
            line = "%-44s %7.0f KB %6.1f s %3.0f MiB" % (os.path.basename(module)[:44], os.path.getsize(module) / 1024,
                                                          split[0], split[1])
            if args.whole:
                whole = compile_once(wapc, module, dict(os.environ, WASCC_AOT_SPLIT_BYTES=str(1 << 40)))
                line += "   %6.1f s %3.0f MiB" % whole
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
