#!/usr/bin/env python3
"""The library's folders are in dependence order: a file in lib/{include/wascc,src}/<folder>/
may include only its own folder and the folders before it. And the library has no
process-wide effects it was not asked for: it reads no environment variable (the tools do,
tools/common/environment.h) and installs no signal handler, except where the list below says
why. Exits 1 naming every include that breaks the order, every file left outside a folder and
every such call; prints the plain closing line."""
import os
import re
import sys

ORDER = ["base", "wasm", "wascap", "engine", "wapc", "actors", "providers", "policy", "runner", "testing"]
PROCESS_WIDE = re.compile(r'\b(getenv|secure_getenv|setenv|putenv|unsetenv|signal|sigaction)\s*\(')
ALLOWED = {
    # The AOT engine's trap handler: guard-page faults of guest code become traps (as wasmtime's
    # do); it chains to the handler it found and leaves every other fault alone.
    "lib/src/engine/aot_runtime.c",
    # In the forked child before exec: the handler's command starts with default SIGPIPE.
    "lib/src/wapc/process_host_handler.cpp",
}
COMMENT = re.compile(r'//[^\n]*|/\*.*?\*/', re.S)
INCLUDE = re.compile(r'^\s*#\s*include\s+[<"](?:wascc/)?(' + "|".join(ORDER) + r')/[^">]+[">]', re.M)


def main(root):
    problems = []
    checked = 0
    for top in ("lib/include/wascc", "lib/src"):
        base = os.path.join(root, top)
        for name in sorted(os.listdir(base)):
            path = os.path.join(base, name)
            if os.path.isfile(path) and name != "CMakeLists.txt":
                problems.append("%s/%s: not in a subsystem folder" % (top, name))
            elif os.path.isdir(path) and name not in ORDER:
                problems.append("%s/%s: not a subsystem folder (%s)" % (top, name, ", ".join(ORDER)))
        for folder in ORDER:
            directory = os.path.join(base, folder)
            if not os.path.isdir(directory):
                continue
            for name in sorted(os.listdir(directory)):
                if not name.endswith((".h", ".cpp", ".c", ".in")):
                    continue
                text = open(os.path.join(directory, name), encoding="utf-8").read()
                checked += 1
                relative = "%s/%s/%s" % (top, folder, name)
                if relative not in ALLOWED:
                    for call in PROCESS_WIDE.findall(COMMENT.sub("", text)):
                        problems.append("%s: calls %s(): the library has no process-wide effects" % (relative, call))
                for used in INCLUDE.findall(text):
                    if ORDER.index(used) > ORDER.index(folder):
                        problems.append("%s/%s/%s: includes %s/, which comes after %s/" % (top, folder, name, used, folder))
    for problem in problems:
        print("FAIL " + problem)
    print("layout: %d files checked" % checked)
    print("%d passed, %d failed" % (checked - len(problems) if checked >= len(problems) else 0, len(problems)))
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")))
