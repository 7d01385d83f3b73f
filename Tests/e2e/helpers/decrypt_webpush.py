#!/usr/bin/env python3
"""Open an RFC 8291 (aes128gcm) push message body as the user agent would.

    decrypt_webpush.py --private UA_PRIVATE --auth AUTH BODY

All three values are base64url. Writes the plaintext to standard output and exits 0, or says
why the body does not open and exits 1. The end-to-end tests can import `decrypt` instead.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import sys

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class DecryptError(Exception):
    """The body is not a push message for these keys; the message says what is wrong."""


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    # One HMAC block of expand is enough for every output here (at most 32 bytes).
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()[:length]


def decrypt(body: bytes, ua_private: bytes, auth: bytes) -> bytes:
    """Returns the plaintext of a single-record message."""
    if len(body) < 21:
        raise DecryptError("body is shorter than the aes128gcm header")
    salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    as_public = body[21 : 21 + id_length]
    ciphertext = body[21 + id_length :]
    if id_length != 65:
        raise DecryptError(f"key id is {id_length} bytes, not a 65-byte P-256 point")
    if len(ciphertext) > record_size:
        raise DecryptError("more than one record")
    private_key = ec.derive_private_key(int.from_bytes(ua_private, "big"), ec.SECP256R1())
    ua_public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    peer = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
    ecdh_secret = private_key.exchange(ec.ECDH(), peer)
    ikm = _hkdf(auth, ecdh_secret, b"WebPush: info\x00" + ua_public + as_public, 32)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    try:
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    except InvalidTag as error:
        raise DecryptError("the record does not authenticate with these keys") from error
    unpadded = padded.rstrip(b"\x00")
    if not unpadded.endswith(b"\x02"):
        raise DecryptError("the record does not end with the last-record delimiter 0x02")
    return unpadded[:-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("body")
    parser.add_argument("--private", required=True)
    parser.add_argument("--auth", required=True)
    args = parser.parse_args()
    try:
        plaintext = decrypt(b64url_decode(args.body), b64url_decode(args.private), b64url_decode(args.auth))
    except DecryptError as error:
        print(error)
        return 1
    sys.stdout.buffer.write(plaintext)
    return 0


if __name__ == "__main__":
    sys.exit(main())
