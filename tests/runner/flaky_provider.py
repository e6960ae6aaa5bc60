#!/usr/bin/env python3
"""A process provider that misbehaves on request, for the host's robustness tests.
Operations: Echo (answers the payload; fails for unbound actors), Crash (exits), Hang (never
answers), Garbage (writes malformed frames, then answers), Huge (writes one frame larger
than the host accepts)."""
import base64
import json
import sys
import time

bound = set()
for line in sys.stdin:
    frame = json.loads(line)
    kind, reply = frame.get("type"), {"id": frame["id"]}
    if kind == "describe":
        reply["capability_id"] = "tests:flaky"
    elif kind == "bind":
        bound.add(frame["actor"])
        print("bound", frame["actor"], file=sys.stderr, flush=True)
    elif kind == "remove":
        bound.discard(frame["actor"])
    elif kind == "call":
        operation = frame["operation"]
        if operation == "Crash":
            sys.exit(3)
        if operation == "Hang":
            time.sleep(60)
        if operation == "Garbage":
            sys.stdout.write("this is not json\n")
            # A frame whose type is not a string: reading it threw in the host's reader thread,
            # which ended the whole runner.
            sys.stdout.write(json.dumps({"id": 999999, "type": 5}) + "\n")
        if operation == "Huge":
            sys.stdout.write(json.dumps({"id": frame["id"], "payload": "A" * (2 << 20)}) + "\n")
            sys.stdout.flush()
            continue
        if frame["actor"] not in bound:
            reply["error"] = "not bound: " + frame["actor"]
        else:
            reply["payload"] = frame["payload"]
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
