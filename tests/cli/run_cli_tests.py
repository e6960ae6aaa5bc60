#!/usr/bin/env python3
"""Golden-output tests for the command-line tools, in the manner of WABT's run-tests.py.

Each case is a file tests/cli/<tool>/<case>.txt:

    ;;; RUN: %wascap inspect data/echo_signed.wasm
    ;;; ENV: WASCC_NOW=1800000000
    ;;; EXIT: 1
    (;; STDOUT ;;;
    ...expected stdout...
    ;;)
    (;; STDERR ;;;
    ...expected stderr...
    ;;)

RUN is a bash command line (pipes allowed). %TOOL names a built tool. It runs in a fresh
scratch directory holding copies of tests/data (as data/) and the built examples (as
examples/), so paths in messages are stable. EXIT defaults to 0; a missing STDOUT or STDERR
block expects empty output. --rebase rewrites the blocks from the actual results.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

DIRECTIVE = re.compile(r"^;;; (RUN|ENV|EXIT): ?(.*)$")
BLOCK = re.compile(r"\(;; (STDOUT|STDERR) ;;;\n(.*?);;\)\n?", re.S)


def parse_case(text):
    case = {"run": None, "env": {}, "exit": 0, "stdout": "", "stderr": ""}
    for line in text.splitlines():
        match = DIRECTIVE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "RUN":
            case["run"] = value
        elif key == "ENV":
            name, _, val = value.partition("=")
            case["env"][name] = val
        elif key == "EXIT":
            case["exit"] = int(value)
    for name, body in BLOCK.findall(text):
        case[name.lower()] = body
    return case


def render_case(text, result):
    head = [line for line in text.splitlines() if DIRECTIVE.match(line) and not line.startswith(";;; EXIT")]
    if result["exit"] != 0:
        head.append(";;; EXIT: %d" % result["exit"])
    out = "\n".join(head) + "\n"
    for name in ("stdout", "stderr"):
        if result[name]:
            out += "(;; %s ;;;\n%s;;)\n" % (name.upper(), result[name])
    return out


def run_case(path, args):
    with open(path) as handle:
        text = handle.read()
    case = parse_case(text)
    if not case["run"]:
        return False, "no ;;; RUN: line"
    command = case["run"]
    for tool, binary in args.tools.items():
        command = command.replace("%" + tool, binary)
    scratch = tempfile.mkdtemp(prefix="wascc-cli-")
    try:
        shutil.copytree(args.data, os.path.join(scratch, "data"))
        os.chmod(os.path.join(scratch, "data"), 0o755)
        if args.examples and os.path.isdir(args.examples):
            shutil.copytree(args.examples, os.path.join(scratch, "examples"))
        env = dict(os.environ)
        for name in ("WASH_KEYS", "WASH_ISSUER_KEY", "WASH_SUBJECT_KEY", "WASCC_NOW"):
            env.pop(name, None)
        env["HOME"] = os.path.join(scratch, "home")
        env["USER"] = "tester"
        env["XDG_CACHE_HOME"] = os.path.join(scratch, "cache")
        env.update(case["env"])
        proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=scratch, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
        result = {"exit": proc.returncode,
                  "stdout": proc.stdout.decode("utf-8", "replace"),
                  "stderr": proc.stderr.decode("utf-8", "replace")}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    if args.rebase:
        with open(path, "w") as handle:
            handle.write(render_case(text, result))
        return True, ""
    problems = []
    for key in ("exit", "stdout", "stderr"):
        if result[key] != case[key]:
            problems.append("%s differs:\n--- expected\n%s\n--- actual\n%s" % (key, case[key], result[key]))
    return not problems, "\n".join(problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", action="append", default=[], help="NAME=PATH of a built tool")
    parser.add_argument("--data", required=True, help="the tests/data directory")
    parser.add_argument("--examples", help="the built examples directory")
    parser.add_argument("--rebase", action="store_true", help="rewrite expectations from actual output")
    parser.add_argument("cases", nargs="+", help="case files or directories")
    args = parser.parse_args()
    args.tools = dict(item.split("=", 1) for item in args.tool)
    # Longest names first so %wascap_x is not cut by %wascap.
    args.tools = dict(sorted(args.tools.items(), key=lambda kv: -len(kv[0])))

    files = []
    for target in args.cases:
        if os.path.isdir(target):
            for root, _, names in sorted(os.walk(target)):
                files += sorted(os.path.join(root, name) for name in names if name.endswith(".txt"))
        else:
            files.append(target)
    passed = failed = 0
    for path in files:
        ok, message = run_case(path, args)
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL %s\n%s\n" % (path, message))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
