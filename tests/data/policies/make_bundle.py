#!/usr/bin/env python3
"""Packs an OPA bundle as `opa build -t wasm` lays it out: a gzip'd tar holding /policy.wasm,
/data.json and /.manifest (naming the entrypoint). Usage: make_bundle.py OUT POLICY DATA ENTRYPOINT"""
import io
import json
import sys
import tarfile

out, policy, data, entrypoint = sys.argv[1:5]
manifest = {"revision": "", "roots": [""], "wasm": [{"entrypoint": entrypoint, "module": "/policy.wasm"}],
            "rego_version": 1}
with tarfile.open(out, "w:gz") as bundle:
    for name, content in (("/.manifest", json.dumps(manifest).encode()), ("/data.json", data.encode()),
                          ("/policy.wasm", open(policy, "rb").read())):
        info = tarfile.TarInfo(name)
        info.size = len(content)
        bundle.addfile(info, io.BytesIO(content))
