"""A push service for the notifications suite: it checks each push as a real one does (the
VAPID token of RFC 8292, the headers of RFC 8030) and decrypts it as a browser would (RFC
8291, with Mozilla's http_ece), so the shop's encryption and signing are judged by code it
did not write. Prints `READY <port>`, then serves:

  GET  /subscription/<name>  a PushSubscription.toJSON() for an endpoint of that name
  POST /push/<name>          a push: `gone` answers 410, `busy…` 429 the first time, else 201
  GET  /received             what was accepted, decrypted
  GET  /rejected             what was refused, and why
"""

import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

# One browser's keys for every endpoint: the suite tells endpoints apart by name.
PRIVATE = ec.generate_private_key(ec.SECP256R1())
PUBLIC = PRIVATE.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
AUTH = os.urandom(16)

received, rejected, busy_seen = [], [], set()
lock = threading.Lock()


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def vapid_claims(header, origin):
    """The token's claims when its signature, audience and expiry hold; else why not."""
    if not header.startswith("vapid "):
        return None, "no vapid authorization"
    params = dict(p.strip().split("=", 1) for p in header[6:].split(","))
    token, key = params.get("t", ""), params.get("k", "")
    parts = token.split(".")
    if len(parts) != 3:
        return None, "the token is not a JWT"
    if json.loads(unb64(parts[0])).get("alg") != "ES256":
        return None, "the token is not ES256"
    raw = unb64(parts[2])
    if len(raw) != 64:
        return None, "the signature is not 64 bytes"
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    try:
        public.verify(signature, f"{parts[0]}.{parts[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return None, "bad signature"
    claims = json.loads(unb64(parts[1]))
    if claims.get("aud") != origin:
        return None, f"aud {claims.get('aud')!r} is not {origin!r}"
    if not time.time() < claims.get("exp", 0) <= time.time() + 86400:
        return None, "exp is past or more than 24 hours ahead"
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        return None, "sub is not a mailto: or https: contact"
    return claims, None


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/subscription/"):
            name = self.path.split("/", 2)[2]
            port = self.server.server_address[1]
            sub = {"endpoint": f"http://127.0.0.1:{port}/push/{name}", "expirationTime": None,
                   "keys": {"p256dh": b64(PUBLIC), "auth": b64(AUTH)}}
            return self.answer(200, json.dumps(sub).encode())
        with lock:
            lists = {"/received": received, "/rejected": rejected}
            if self.path in lists:
                return self.answer(200, json.dumps(lists[self.path]).encode())
        self.answer(404)

    def do_POST(self):
        name = self.path.split("/", 2)[2] if self.path.startswith("/push/") else None
        body = self.rfile.read(int(self.headers.get("content-length", 0)))

        def refuse(status, reason, headers=()):
            with lock:
                rejected.append({"name": name, "status": status, "reason": reason})
            self.answer(status, reason.encode(), headers)

        if name is None:
            return refuse(404, "no such endpoint")
        if self.headers.get("content-encoding") != "aes128gcm":
            return refuse(400, "content-encoding is not aes128gcm")
        if self.headers.get("ttl") is None:
            return refuse(400, "no TTL")
        claims, why = vapid_claims(self.headers.get("authorization", ""), f"http://127.0.0.1:{self.server.server_address[1]}")
        if claims is None:
            return refuse(401 if why == "no vapid authorization" else 403, why)
        try:
            payload = http_ece.decrypt(body, private_key=PRIVATE, auth_secret=AUTH, version="aes128gcm")
        except Exception as e:  # any failure to decrypt is the sender's fault
            return refuse(400, f"does not decrypt: {e}")
        if name == "gone":
            return refuse(410, "unsubscribed")
        with lock:
            first = name.startswith("busy") and name not in busy_seen
            busy_seen.add(name)
        if first:
            return refuse(429, "slow down", [("retry-after", "1")])
        with lock:
            received.append({"name": name, "payload": payload.decode(), "ttl": self.headers.get("ttl"),
                             "urgency": self.headers.get("urgency"), "sub": claims["sub"], "aud": claims["aud"]})
            n = len(received)
        self.answer(201, headers=[("location", f"/message/{n}")])

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()
