#!/usr/bin/env python3
"""The real-world corpus (../shared/realworld: OPA policies, waPC guests and signed actors built
by other people, with the reference implementations' results) through the built tools on one
engine. Each case prints ok/FAIL; a case listed in KNOWN_FAILURES must fail (with the reason
given there) or the list is stale. The cases come from the corpus' own check.py, so they stay
exactly what the corpus' authors recorded."""
import argparse
import importlib.util
import os
import sys
import tempfile

# case id -> why it cannot pass here. Empty: every case passes on both engines.
KNOWN_FAILURES = {}


def load_checker(corpus):
    spec = importlib.util.spec_from_file_location("realworld_check", os.path.join(corpus, "check.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--engine", choices=("interp", "aot"), required=True)
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.corpus, "check.py")):
        print("FAIL the corpus is missing: %s" % args.corpus)
        print("0 passed, 1 failed")
        return 1
    check = load_checker(args.corpus)
    os.chdir(args.corpus)  # the corpus' paths are relative to its folder
    tools = {name: check.tool(args.build, name) for name in ("wascc", "wapc", "wascap")}
    passed = failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        suites = [("opa/" + args.engine, check.opa_cases(tools["wascc"], args.engine, scratch)),
                  ("wapc/" + args.engine, check.wapc_cases(tools["wapc"], args.engine, scratch))]
        if args.engine == "interp":  # claims do not depend on the engine: checked once
            suites.insert(0, ("actors", check.actor_cases(tools["wascap"])))
        for suite, cases in suites:
            for case_id, good, why in cases:
                known = KNOWN_FAILURES.get(case_id)
                if good and known:
                    failed += 1
                    print("FAIL %s %s: passes now; remove it from KNOWN_FAILURES (%s)" % (suite, case_id, known))
                elif good or known:
                    passed += 1
                    print("ok   %s %s%s" % (suite, case_id, " (known: %s)" % known if known else ""))
                else:
                    failed += 1
                    print("FAIL %s %s: %s" % (suite, case_id, why.replace("\n", " | ")))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
