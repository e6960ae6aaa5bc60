"""NATS decentralized auth for tests: an operator, an account and a user as nkeys, the
operator's and account's JWTs for nats-server's memory resolver, and the user's credentials
file (the `--nats-creds` of wascc). Written from the nkeys and NATS JWT v2 formats: nkeys are
base32 of (prefix byte(s), 32 key bytes, CRC-16/XMODEM little-endian); JWTs are
base64url(header).base64url(claims).base64url(Ed25519 signature), alg "ed25519-nkey"."""
import base64
import hashlib
import json
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

PREFIX = {"operator": 14 << 3, "account": 0, "user": 20 << 3}
SEED_PREFIX = 18 << 3


def crc16(data):
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def nkey_text(raw):
    return base64.b32encode(raw + crc16(raw).to_bytes(2, "little")).decode().rstrip("=")


class NKey:
    def __init__(self, kind):
        self.private = Ed25519PrivateKey.generate()
        public_raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        seed_raw = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        prefix = PREFIX[kind]
        self.public = nkey_text(bytes([prefix]) + public_raw)
        self.seed = nkey_text(bytes([SEED_PREFIX | prefix >> 5, (prefix & 31) << 3]) + seed_raw)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jwt(issuer, subject, name, nats):
    claims = {"iat": int(time.time()), "iss": issuer.public, "name": name, "sub": subject.public,
              "nats": {**nats, "version": 2}}
    claims["jti"] = base64.b32encode(hashlib.sha256(json.dumps(claims).encode()).digest()).decode().rstrip("=")
    signing_input = b64url(json.dumps({"typ": "JWT", "alg": "ed25519-nkey"}).encode()) + "." + \
        b64url(json.dumps(claims).encode())
    return signing_input + "." + b64url(issuer.private.sign(signing_input.encode()))


UNLIMITED = {"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1, "wildcards": True, "conn": -1,
             "leaf": -1}


class Trust:
    """One operator with one account (loaded in the server's config) and one user of it."""

    def __init__(self):
        self.operator, self.account, self.user = NKey("operator"), NKey("account"), NKey("user")
        self.operator_jwt = jwt(self.operator, self.operator, "test-operator", {"type": "operator"})
        self.account_jwt = jwt(self.operator, self.account, "test-account",
                               {"type": "account", "limits": UNLIMITED})
        self.user_jwt = jwt(self.account, self.user, "test-user",
                            {"type": "user", "pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1})

    def server_config(self, port):
        return ("port: %d\nhost: 127.0.0.1\noperator: %s\nresolver: MEMORY\nresolver_preload: {\n  %s: %s\n}\n" %
                (port, self.operator_jwt, self.account.public, self.account_jwt))

    def creds(self):
        return ("-----BEGIN NATS USER JWT-----\n%s\n------END NATS USER JWT------\n\n"
                "-----BEGIN USER NKEY SEED-----\n%s\n------END USER NKEY SEED------\n" % (self.user_jwt, self.user.seed))
