#!/usr/bin/env python3
"""An example process provider for wascc (share/doc/process-providers.md): capability
"examples:upper". Upper answers its payload in upper case. When an actor is bound with a
GREETING value, the provider calls the actor's Heard operation with it (a provider-initiated
dispatch, as a provider delivers inbound events); the actor's answer comes back as a frame.
Run by the host: wascc run shout_s.wasm --provider 'exec:python3 upper.py' ..."""
import base64
import json
import sys

dispatches = 0


def send(frame):
    sys.stdout.write(json.dumps(frame) + "\n")
    sys.stdout.flush()


def answer(frame):
    global dispatches
    kind = frame.get("type")
    if kind == "describe":
        return {"capability_id": "examples:upper", "name": "upper", "version": "0.1.0"}
    if kind == "bind":
        greeting = frame["values"].get("GREETING")
        if greeting:
            dispatches += 1
            send({"type": "dispatch", "id": "d%d" % dispatches, "actor": frame["actor"], "operation": "Heard",
                  "payload": base64.b64encode(greeting.encode()).decode()})
        return {"ok": True}
    if kind == "remove":
        return {"ok": True}
    if kind == "call":
        if frame["operation"] == "Upper":
            return {"payload": base64.b64encode(base64.b64decode(frame["payload"]).upper()).decode()}
        return {"error": "examples:upper has no operation " + frame["operation"]}
    return {"error": "unknown frame type %r" % kind}


for line in sys.stdin:
    request = json.loads(line)
    if str(request.get("id", "")).startswith("d"):  # the host's answer to one of our dispatches
        outcome = request.get("error") or base64.b64decode(request.get("payload", "")).decode("utf-8", "replace")
        print("the actor answered %s: %s" % (request["id"], outcome), file=sys.stderr, flush=True)
        continue
    response = answer(request)
    response["id"] = request["id"]
    send(response)
