#!/usr/bin/env python3
"""Check an RFC 8292 VAPID `Authorization` header with the `cryptography` package.

    verify_vapid.py [--audience ORIGIN] [--now UNIX_SECONDS] 'vapid t=<jwt>, k=<key>'

Prints the JWT claims as JSON and exits 0 when the header is valid; prints why and exits 1
when it is not. The end-to-end tests can import `verify_authorization` instead.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_LIFETIME = 24 * 3600


class VapidError(Exception):
    """The header is not a valid VAPID authorization; the message says what is wrong."""


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_header(header: str) -> tuple[str, str]:
    """Splits `vapid t=…, k=…` into the token and the key, in either order."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise VapidError(f"scheme is {scheme!r}, not vapid")
    params = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        params[name.strip()] = value.strip()
    if "t" not in params or "k" not in params:
        raise VapidError("t= and k= are both required")
    return params["t"], params["k"]


def verify_jwt(token: str, public_key: bytes) -> dict:
    """Checks the ES256 signature (raw r || s) and returns the claims."""
    parts = token.split(".")
    if len(parts) != 3:
        raise VapidError("the JWT does not have three parts")
    header = json.loads(b64url_decode(parts[0]))
    if header.get("alg") != "ES256" or header.get("typ", "JWT") != "JWT":
        raise VapidError(f"JWT header {header} is not ES256")
    signature = b64url_decode(parts[2])
    if len(signature) != 64:
        raise VapidError(f"signature is {len(signature)} bytes, not 64 (r || s)")
    if len(public_key) != 65 or public_key[0] != 4:
        raise VapidError("k is not a 65-byte uncompressed P-256 point")
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_key)
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        key.verify(der, f"{parts[0]}.{parts[1]}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise VapidError("the signature does not verify with k") from error
    return json.loads(b64url_decode(parts[1]))


def verify_authorization(header: str, audience: str | None = None, now: float | None = None) -> dict:
    """Verifies the whole header as a push service would and returns the claims."""
    token, key = parse_header(header)
    claims = verify_jwt(token, b64url_decode(key))
    now = time.time() if now is None else now
    if audience is not None and claims.get("aud") != audience:
        raise VapidError(f"aud is {claims.get('aud')!r}, not {audience!r}")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= now or exp > now + MAX_LIFETIME:
        raise VapidError(f"exp {exp!r} is not within 24 h after {int(now)}")
    sub = claims.get("sub", "")
    if not (sub.startswith("mailto:") or sub.startswith("https:")):
        raise VapidError(f"sub {sub!r} is not a mailto: or https: contact")
    return claims


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("header")
    parser.add_argument("--audience")
    parser.add_argument("--now", type=float)
    args = parser.parse_args()
    try:
        claims = verify_authorization(args.header, args.audience, args.now)
    except VapidError as error:
        print(error)
        return 1
    print(json.dumps(claims, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
