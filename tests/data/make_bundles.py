#!/usr/bin/env python3
"""Writes OPA bundles of the shapes other tars make, for the bundle reader's golden cases:
pax.tar.gz (PAX headers: a module path over tar's 100-character name field, named by the
manifest), gnu.tar.gz (the same with GNU long-name records) and bad_checksum.tar.gz (a header
whose checksum does not match). Usage: make_bundles.py POLICY.wasm"""
import gzip
import io
import json
import sys
import tarfile

policy = open(sys.argv[1], "rb").read()
long_name = "policies/" + "x" * 120 + "/policy.wasm"
manifest = json.dumps({"wasm": [{"entrypoint": "wascc/allow", "module": "/" + long_name}]}).encode()


def bundle(path, tar_format):
    with tarfile.open(path, "w:gz", format=tar_format) as out:
        for name, data in ((long_name, policy), (".manifest", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


bundle("pax.tar.gz", tarfile.PAX_FORMAT)
bundle("gnu.tar.gz", tarfile.GNU_FORMAT)
archive = bytearray(gzip.decompress(open("gnu.tar.gz", "rb").read()))
archive[148:156] = b"0000000\0"  # the first header's checksum field
open("bad_checksum.tar.gz", "wb").write(gzip.compress(bytes(archive)))
