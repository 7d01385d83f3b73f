"""Webhooks end to end: a real receiving HTTP server checks each message's Standard Webhooks
signature with Python's own hmac (and the standardwebhooks library), sees every event once and
in order across failures and a SIGKILL of the server, and the SSRF guard refuses private
targets unless allowed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from standardwebhooks.webhooks import Webhook as StandardWebhook
from websockets.sync.client import connect

from conftest import random_evm_address
from test_chains import DevChain, chain_environment


@pytest.fixture(scope="module")
def devchain():
    chain = DevChain()
    yield chain
    chain.stop()


class Receiver:
    """An HTTP endpoint that records every message, answering with the statuses it is told to."""

    def __init__(self):
        self.messages: list[dict] = []
        self.statuses: list[int] = []  # answers to give first, in order; then 204
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 204
                    receiver.messages.append({"headers": {k.lower(): v for k, v in self.headers.items()},
                                              "body": body, "status": status, "at": time.monotonic()})
                self.send_response(status)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def accepted(self) -> list[dict]:
        with self.lock:
            return [m for m in self.messages if 200 <= m["status"] < 300]

    def wait_for(self, count: int, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.accepted()) < count:
            assert time.monotonic() < deadline, f"{len(self.accepted())} of {count} messages within {timeout} s"
            time.sleep(0.05)
        return self.accepted()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def verify(message: dict, secret: str) -> dict:
    """Checks the signature as the specification says, with hmac, and with the library."""
    headers = message["headers"]
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + message["body"]
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert expected in headers["webhook-signature"].split(" "), headers
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 120
    payload = StandardWebhook(secret).verify(message["body"], headers)
    assert payload == json.loads(message["body"])
    return payload


def start(server_factory, devchain, **extra):
    env = chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.1", NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true",
                            NOTIFICATIONS_RETRY_INITIAL="0.2", NOTIFICATIONS_RETRY_MAX_INTERVAL="0.5", **extra)
    return server_factory.start(env=env, database=server_factory.database_path(f"hooks-{time.monotonic_ns()}.sqlite"))


def set_balance(devchain, address: str, amount: int) -> None:
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(amount)})


def test_every_change_arrives_signed_once_and_in_order_across_failures(server_factory, devchain, receiver):
    server = start(server_factory, devchain)
    created = requests.post(server.url("/api/v1/webhooks"), json={"url": receiver.url, "description": "ci"},
                            timeout=10)
    assert created.status_code == 201, created.text
    hook = created.json()
    secret = hook["secret"]
    assert secret.startswith("whsec_") and 24 <= len(base64.b64decode(secret[6:])) <= 64
    assert "secret" not in requests.get(server.url(f"/api/v1/webhooks/{hook['id']}"), timeout=5).json()

    # The endpoint fails three times (500, a timeout-free refusal, 503), then recovers.
    receiver.statuses = [500, 502, 503]
    address = random_evm_address()
    set_balance(devchain, address, 1)
    wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address},
                           timeout=10).json()
    for amount in range(2, 7):
        set_balance(devchain, address, amount)
        requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    messages = receiver.wait_for(6)
    payloads = [verify(m, secret) for m in messages]
    kinds = [p["type"] for p in payloads]
    assert kinds[0] == "wallet.added"
    seqs = [p["data"]["seq"] for p in payloads]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs), seqs
    balances = [p["data"]["new"] for p in payloads if p["type"] == "balance.changed"]
    amounts = [int(b.split("e")[0]) if "e" in b else b for b in balances]
    assert [p["data"]["raw_new"] for p in payloads if p["type"] == "balance.changed"][-1] == "6", amounts
    # The failed attempts carried the same webhook-id as the one accepted.
    first_id = messages[0]["headers"]["webhook-id"]
    assert [m["headers"]["webhook-id"] for m in receiver.messages[:4]] == [first_id] * 4
    # The delivery log shows the failures and the success.
    log = requests.get(server.url(f"/api/v1/webhooks/{hook['id']}/deliveries?limit=500"), timeout=5).json()
    statuses = [d["status"] for d in reversed(log["deliveries"])]
    assert statuses[:4] == [500, 502, 503, 204], statuses


def test_a_sigkill_mid_delivery_loses_nothing(server_factory, devchain, receiver):
    database = server_factory.database_path("kill.sqlite")
    env = chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.1", NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true",
                            NOTIFICATIONS_RETRY_INITIAL="0.2", NOTIFICATIONS_RETRY_MAX_INTERVAL="0.5")
    server = server_factory.start(env=env, database=database)
    hook = requests.post(server.url("/api/v1/webhooks"), json={"url": receiver.url}, timeout=10).json()
    # The receiver refuses for now: events pile up behind the first.
    receiver.statuses = [503] * 1000
    address = random_evm_address()
    set_balance(devchain, address, 1)
    wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address},
                           timeout=10).json()
    # The first read stores 1 before the balance moves on.
    requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    for amount in range(2, 5):
        set_balance(devchain, address, amount)
        requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    deadline = time.monotonic() + 10
    while len(receiver.messages) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server.kill()
    receiver.statuses = []
    restarted = server_factory.start(env=env, database=database)
    # wallet.added, then the balance at 1, 2, 3 and 4.
    messages = receiver.wait_for(5)
    payloads = [verify(m, hook["secret"]) for m in messages]
    seqs = [p["data"]["seq"] for p in payloads]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [p["data"].get("raw_new") for p in payloads if p["type"] == "balance.changed"] == ["1", "2", "3", "4"]
    # The message refused before the kill came again with the same id.
    assert receiver.messages[0]["headers"]["webhook-id"] == messages[0]["headers"]["webhook-id"]
    assert restarted.proc.poll() is None


def test_types_and_filters_choose_what_is_sent(server_factory, devchain, receiver):
    server = start(server_factory, devchain)
    first, second = random_evm_address(), random_evm_address()
    for address in (first, second):
        set_balance(devchain, address, 1)
    wallets = [requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": a},
                             timeout=10).json() for a in (first, second)]
    # Their first reads are stored before the webhook exists: it is sent what comes after.
    for wallet in wallets:
        requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    hook = requests.post(server.url("/api/v1/webhooks"), timeout=10, json={
        "url": receiver.url, "event_types": ["balance.changed"], "filters": {"wallets": [wallets[1]["id"]]}}).json()
    assert hook["event_types"] == ["balance.changed"]
    for address, wallet in zip((first, second), wallets):
        set_balance(devchain, address, 9)
        requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    messages = receiver.wait_for(1)
    time.sleep(1)
    payloads = [verify(m, hook["secret"]) for m in receiver.accepted()]
    assert [(p["type"], p["data"]["wallet"]) for p in payloads] == [("balance.changed", wallets[1]["id"])]


def test_bad_input_and_private_targets_are_refused(server_factory, devchain):
    server = server_factory.start(env=chain_environment(devchain))
    for body, field in [
        ({}, "url"), ({"url": "ftp://example.com/x"}, "url"), ({"url": "not a url"}, "url"),
        # A public address written as such needs no name lookup (the tests have no DNS).
        ({"url": "https://8.8.8.8/hook", "event_types": ["nope"]}, "event_types"),
        ({"url": "https://8.8.8.8/hook", "event_types": []}, "event_types"),
        ({"url": "https://8.8.8.8/hook", "filters": {"chains": ["mars"]}}, "filters.chains"),
        ({"url": "https://8.8.8.8/hook", "filters": {"min_usd": "lots"}}, "filters.min_usd"),
        ({"url": "https://8.8.8.8/hook", "extra": 1}, "extra"),
    ]:
        reply = requests.post(server.url("/api/v1/webhooks"), json=body, timeout=10)
        assert reply.status_code == 400, (body, reply.text)
        assert reply.json()["field"] == field, reply.json()
    for target in ("http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data",
                   "http://10.0.0.1/", "http://[::1]/"):
        reply = requests.post(server.url("/api/v1/webhooks"), json={"url": target}, timeout=10)
        assert reply.status_code == 422, (target, reply.text)
        assert reply.headers["content-type"] == "application/problem+json"
        assert "not a public address" in reply.json()["detail"]


def test_410_disables_and_rotation_signs_with_both_secrets(server_factory, devchain, receiver):
    server = start(server_factory, devchain)
    hook = requests.post(server.url("/api/v1/webhooks"), json={"url": receiver.url}, timeout=10).json()
    rotated = requests.post(server.url(f"/api/v1/webhooks/{hook['id']}/rotate-secret"), timeout=10).json()
    assert rotated["secret"] != hook["secret"]
    ping = requests.post(server.url(f"/api/v1/webhooks/{hook['id']}/ping"), timeout=10).json()
    assert ping["ok"] is True and ping["status"] == 204
    message = receiver.accepted()[-1]
    # Both the new and, for a day, the old secret sign it.
    verify(message, rotated["secret"])
    verify(message, hook["secret"])

    receiver.statuses = [410]
    requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": random_evm_address()},
                  timeout=10)
    deadline = time.monotonic() + 10
    while requests.get(server.url(f"/api/v1/webhooks/{hook['id']}"), timeout=5).json()["enabled"]:
        assert time.monotonic() < deadline, "410 did not disable the webhook"
        time.sleep(0.1)
    state = requests.get(server.url(f"/api/v1/webhooks/{hook['id']}"), timeout=5).json()
    assert "410" in state["disabled_reason"]
    # Its owner is told through the stream: an alert of the log (committed just after the
    # webhook is marked disabled), replayed on resume.
    deadline = time.monotonic() + 5
    while True:
        with connect(server.ws_url) as ws:
            ws.send(json.dumps({"op": "subscribe", "topic": "portfolio", "since": 0}))
            frames = []
            while not frames or frames[-1]["type"] not in ("resumed", "snapshot"):
                frames.append(json.loads(ws.recv(timeout=5)))
        alerts = [f["alert"] for f in frames if f["type"] == "alert"]
        if alerts or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert [a["title"] for a in alerts] == ["Webhook disabled"], frames
    assert alerts[0]["data"]["webhook_id"] == hook["id"]
