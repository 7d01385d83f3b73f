"""Web Push end to end: a local push service receives what the server sends to a browser's
subscription, decrypts it with http_ece (RFC 8291, aes128gcm) using the keys a browser would
hold, and checks the VAPID JWT (RFC 8292) with `cryptography`; 410 removes the subscription."""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conftest import random_evm_address
from test_chains import DevChain, chain_environment

sys.path.insert(0, str(Path(__file__).parent / "helpers"))
from verify_vapid import verify_authorization  # noqa: E402


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def devchain():
    chain = DevChain()
    yield chain
    chain.stop()


class PushService:
    """What a browser's push service does with the server's requests, answering as told."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                service.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                         "body": body, "status": service.status})
                self.send_response(service.status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def wait_for(self, count: int, timeout: float = 15) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{len(self.requests)} of {count} push requests"
            time.sleep(0.05)
        return self.requests


class Browser:
    """The keys a browser makes for a subscription."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict:
        return {"endpoint": endpoint, "expirationTime": None, "keys": {"p256dh": b64url(self.public),
                                                                      "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth,
                                           version="aes128gcm"))


def test_a_push_message_decrypts_for_the_browser_and_carries_a_valid_vapid_token(server_factory, devchain):
    service, browser = PushService(), Browser()
    server = server_factory.start(env=chain_environment(
        devchain, ETHEREUM_POLL_INTERVAL="0.1", NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true",
        NOTIFICATIONS_VAPID_SUBJECT="mailto:ops@example.com"))
    key = requests.get(server.url("/api/v1/push/vapid-public-key"), timeout=5).json()["public_key"]
    assert len(base64.urlsafe_b64decode(key + "==")) == 65
    # Alerts only unless asked; this one asks for wallets and balances too.
    subscription = dict(browser.subscription(f"{service.origin}/push/abc"),
                        event_types=["wallet.added", "balance.changed"])
    created = requests.post(server.url("/api/v1/push/subscriptions"), json=subscription, timeout=10)
    assert created.status_code == 201, created.text
    assert created.json()["event_types"] == ["balance.changed", "wallet.added"]

    address = random_evm_address()
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None,
                                 "amount": "1500000000000000000"})
    requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address}, timeout=10)
    pushed = service.wait_for(2)
    first = pushed[0]
    assert first["path"] == "/push/abc"
    headers = first["headers"]
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) > 0 and headers["urgency"] in ("normal", "high")
    claims = verify_authorization(headers["authorization"], audience=service.origin)
    assert claims["sub"] == "mailto:ops@example.com"
    assert headers["authorization"].endswith(f"k={key}") or f"k={key}" in headers["authorization"]
    messages = [browser.decrypt(p["body"]) for p in pushed[:2]]
    assert [m["type"] for m in messages] == ["wallet.added", "balance.changed"]
    assert messages[0]["title"] == "Wallet added" and messages[0]["body"].lower() == address.lower()
    assert messages[1]["title"] == "ETH received" and "1.5" in messages[1]["body"]
    assert messages[0]["seq"] < messages[1]["seq"]
    # A message another browser's keys cannot open.
    with pytest.raises(Exception):
        Browser().decrypt(first["body"])


def test_a_gone_subscription_is_removed(server_factory, devchain):
    service, browser = PushService(), Browser()
    server = server_factory.start(env=chain_environment(devchain, NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true"))
    subscription = dict(browser.subscription(f"{service.origin}/push/gone"), event_types=["wallet.added"])
    created = requests.post(server.url("/api/v1/push/subscriptions"), json=subscription, timeout=10).json()
    service.status = 410
    requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": random_evm_address()},
                  timeout=10)
    service.wait_for(1)
    deadline = time.monotonic() + 10
    while requests.get(server.url("/api/v1/push/subscriptions"), timeout=5).json()["subscriptions"]:
        assert time.monotonic() < deadline, "the gone subscription stayed"
        time.sleep(0.1)
    assert requests.delete(server.url(f"/api/v1/push/subscriptions/{created['id']}"), timeout=5).status_code == 404


def test_bad_subscriptions_are_refused(server_factory, devchain):
    browser = Browser()
    server = server_factory.start(env=chain_environment(devchain))
    good = browser.subscription("https://8.8.8.8/push/x")
    for body, field in [
        ({**good, "endpoint": "ftp://x"}, "endpoint"),
        ({**good, "keys": {"p256dh": "AAAA", "auth": good["keys"]["auth"]}}, "keys"),
        ({**good, "keys": {"p256dh": good["keys"]["p256dh"], "auth": "AA"}}, "keys"),
        ({k: v for k, v in good.items() if k != "keys"}, "keys"),
        ({**good, "event_types": ["nope"]}, "event_types"),
    ]:
        reply = requests.post(server.url("/api/v1/push/subscriptions"), json=body, timeout=10)
        assert reply.status_code == 400, (body, reply.text)
        assert reply.json()["field"] == field
    private = requests.post(server.url("/api/v1/push/subscriptions"),
                            json=browser.subscription("https://127.0.0.1/push/x"), timeout=10)
    assert private.status_code in (400, 422), private.text
