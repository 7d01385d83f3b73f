"""Chain health end to end, against devchain: a failing node turns its chain degraded, then
down, and back to ok when it recovers; `/api/v1/health` and the stream's `chains` topic say so
once per change; a node URL's secrets never show in health, answers, frames or logs."""

from __future__ import annotations

import json
import re
import secrets
import socket
import threading
import time
from contextlib import ExitStack

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import add_wallet
from test_chains import chain_environment, devchain  # noqa: F401  (devchain is a fixture)

POLL = "0.2"
# The breaker's cool-down (10 s) passes before a recovered node is asked again.
RECOVERY_SECONDS = 45.0


def fast_environment(chain, **extra: str) -> dict[str, str]:
    return chain_environment(chain, ETHEREUM_POLL_INTERVAL=POLL, SOLANA_POLL_INTERVAL=POLL, **extra)


def health(server) -> dict:
    response = requests.get(server.url("/api/v1/health"), timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def wait_health(server, predicate, what: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        body = health(server)
        if predicate(body):
            return body
        time.sleep(0.05)
    raise AssertionError(f"waited {timeout} s for {what}; health said {json.dumps(body)[:3000]}")


def chain_state(body: dict, chain: str) -> dict:
    return body["chains"][chain]


class ChainFrames:
    """A stream connection following `chains`, its frames collected by a reader thread."""

    def __init__(self, server):
        self.stack = ExitStack()
        self.ws = self.stack.enter_context(connect(server.ws_url, open_timeout=5, close_timeout=2))
        self.frames: list[dict] = []
        self.lock = threading.Lock()
        self.ws.send(json.dumps({"op": "subscribe", "topic": "chains"}))
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for text in self.ws:
                with self.lock:
                    self.frames.append(json.loads(text))
        except ConnectionClosed:
            pass

    def of(self, chain: str) -> list[dict]:
        with self.lock:
            return [f for f in self.frames if f.get("chain") == chain]

    def statuses(self, chain: str) -> list[str]:
        return [f["status"] for f in self.of(chain)]

    def wait(self, predicate, what: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.02)
        with self.lock:
            raise AssertionError(f"waited {timeout} s for {what}; frames: {self.frames}")

    def close(self) -> None:
        self.stack.close()
        self.thread.join(5)


def health_changes_logged(server, chain: str) -> int:
    return sum(1 for line in server.stderr_lines if "chain health changed" in line and f"chain={chain}" in line)


def test_a_failing_node_turns_its_chain_degraded_then_down_and_back_to_ok(server_factory, devchain):
    server = server_factory.start(env=fast_environment(devchain))
    body = wait_health(server, lambda b: b["status"] == "ok", "every chain to be read")
    ethereum = chain_state(body, "ethereum")
    assert ethereum["reason"] is None and ethereum["consecutive_failures"] == 0, ethereum
    assert ethereum["endpoints"] == [{"url": f"{devchain.base}/ethereum", "breaker": "closed"}], ethereum
    assert ethereum["last_good_read"] is not None and ethereum["since"] is not None, ethereum

    stream = ChainFrames(server)
    try:
        stream.wait(lambda: stream.of("ethereum") and stream.of("solana"), "each chain's current state")
        first = stream.of("ethereum")[0]
        assert first["type"] == "chain_status" and first["topic"] == "chains" and "seq" not in first, first
        assert first["status"] == "ok" and first["since"] == ethereum["since"], (first, ethereum)
        with stream.lock:
            assert [f["chain"] for f in stream.frames] == ["ethereum", "solana"], stream.frames

        devchain.control("fault", {"chain": "ethereum", "kind": "500"})
        body = wait_health(server, lambda b: chain_state(b, "ethereum")["status"] == "down", "ethereum down")
        ethereum = chain_state(body, "ethereum")
        assert body["status"] == "degraded", body
        assert chain_state(body, "solana")["status"] == "ok", body
        assert ethereum["reason"] == "no_endpoint_available", ethereum
        assert ethereum["endpoints"][0]["breaker"] in ("open", "half_open"), ethereum
        assert ethereum["consecutive_failures"] >= 1 and "HTTP 500" in ethereum["last_error"], ethereum
        assert ethereum["last_good_read"] < ethereum["since"], ethereum
        stream.wait(lambda: stream.statuses("ethereum")[-1:] == ["down"], "the frame saying ethereum is down")
        assert stream.statuses("ethereum") == ["ok", "degraded", "down"], stream.of("ethereum")
        down = stream.of("ethereum")[-1]
        assert down["since"] == ethereum["since"] and down["reason"] == "no_endpoint_available", down

        devchain.control("fault", {"chain": "ethereum", "kind": "none"})
        body = wait_health(server, lambda b: b["status"] == "ok", "ethereum to recover", RECOVERY_SECONDS)
        assert chain_state(body, "ethereum")["endpoints"][0]["breaker"] == "closed", body
        stream.wait(lambda: stream.statuses("ethereum")[-1:] == ["ok"], "the frame saying ethereum is ok")
        assert stream.statuses("ethereum") == ["ok", "degraded", "down", "ok"], stream.of("ethereum")
        assert stream.statuses("solana") == ["ok"], stream.of("solana")
    finally:
        stream.close()
    # Each change is logged once.
    assert health_changes_logged(server, "ethereum") == 4, server.stderr_text  # with the first read


def test_a_flapping_node_reports_each_change_once(server_factory, devchain):
    server = server_factory.start(env=fast_environment(devchain))
    wait_health(server, lambda b: b["status"] == "ok", "every chain to be read")
    stream = ChainFrames(server)
    try:
        stream.wait(lambda: stream.statuses("ethereum") == ["ok"], "ethereum's current state")
        # Four failed requests fail one poll (its call and three retries) without opening the
        # breaker (five): degraded, then ok at the next poll.
        for round_ in range(1, 4):
            devchain.control("fault", {"chain": "ethereum", "kind": "500", "count": 4})
            stream.wait(lambda: len(stream.statuses("ethereum")) == 1 + 2 * round_, f"flap {round_}")
        assert stream.statuses("ethereum") == ["ok"] + ["degraded", "ok"] * 3, stream.of("ethereum")

        # Now the node comes and goes faster than the polls: whatever the server makes of it,
        # no status is sent twice in a row, and it ends ok once the node stays up.
        for _ in range(12):
            devchain.control("fault", {"chain": "ethereum", "kind": "drop"})
            time.sleep(0.3)
            devchain.control("fault", {"chain": "ethereum", "kind": "none"})
            time.sleep(0.2)
        wait_health(server, lambda b: b["status"] == "ok", "ethereum to settle ok", RECOVERY_SECONDS)
        stream.wait(lambda: stream.statuses("ethereum")[-1:] == ["ok"], "the last frame to say ok")
        time.sleep(1.5)  # a few more polls and checks: nothing more is sent
        statuses = stream.statuses("ethereum")
        assert all(a != b for a, b in zip(statuses, statuses[1:])), statuses
        assert statuses[-1] == "ok" and len(statuses) > 7, statuses
        assert stream.statuses("solana") == ["ok"], stream.of("solana")
    finally:
        stream.close()
    # One log line per change: the first read's, and one per frame after the first.
    assert health_changes_logged(server, "ethereum") == len(statuses), (statuses, server.stderr_text)


def test_a_node_urls_secrets_never_show(server_factory, devchain):
    user, password = "alice" + secrets.token_hex(4), "pw-" + secrets.token_hex(10)
    key = "aB3" + secrets.token_hex(14)  # Alchemy-like: 31 characters, mixed case and digits
    query = "q" + secrets.token_hex(10)
    authority = devchain.base.removeprefix("http://")
    environment = fast_environment(devchain, LOG_LEVEL="debug")
    environment.update(
        # devchain has no /v2/<key>: every call fails, so the URL turns up in errors.
        ETHEREUM_RPC_URL=f"http://{user}:{password}@{authority}/v2/{key}?apikey={query}",
        SOLANA_RPC_URL=f"http://{user}:{password}@{authority}/solana?api-key={query}",
    )
    server = server_factory.start(env=environment)
    stream = ChainFrames(server)
    try:
        body = wait_health(server, lambda b: chain_state(b, "ethereum")["status"] == "down"
                           and chain_state(b, "solana")["status"] == "ok", "ethereum down and solana ok", 60)
        ethereum, solana = chain_state(body, "ethereum"), chain_state(body, "solana")
        assert ethereum["endpoints"][0]["url"] == f"http://{authority}/v2/***", ethereum
        assert solana["endpoints"] == [{"url": f"http://{authority}/solana", "breaker": "closed"}], solana
        assert f"{authority}/v2/***" in ethereum["last_error"], ethereum

        wallet = requests.post(server.url("/api/v1/wallets"),
                               json={"chain": "ethereum", "address": "0x" + "11" * 20}, timeout=5).json()
        fetched = requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=35)
        assert fetched.status_code in (502, 503, 504), fetched.text
        stream.wait(lambda: stream.statuses("ethereum")[-1:] == ["down"], "the frame saying ethereum is down")
        with stream.lock:
            frames = json.dumps(stream.frames)
    finally:
        stream.close()
    server.stop()
    logs = server.stderr_text + "\n" + server.stdout_text
    for text, where in ((json.dumps(body), "health"), (fetched.text, "the fetch's answer"),
                        (frames, "the stream"), (logs, "the log")):
        for secret in (user, password, key, query):
            assert secret not in text, f"{secret!r} shows in {where}:\n{text[:5000]}"
    # The node did turn up in the log, redacted.
    assert re.search(re.escape(f"{authority}/v2/***"), logs), logs[-5000:]


def test_one_of_two_nodes_failing_is_degraded_not_down(server_factory, devchain):
    with socket.socket() as probe:  # a port nothing listens on: connections are refused
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/ethereum"
    environment = fast_environment(devchain)
    environment["ETHEREUM_RPC_URL"] = f"{dead},{devchain.base}/ethereum"
    server = server_factory.start(env=environment)
    # Each poll fails over to the live node; the dead one's breaker opens after five refusals.
    body = wait_health(server, lambda b: chain_state(b, "ethereum")["reason"] == "endpoint_unavailable",
                       "ethereum degraded by its dead node")
    ethereum = chain_state(body, "ethereum")
    assert ethereum["status"] == "degraded" and body["status"] == "degraded", body
    assert [e["url"] for e in ethereum["endpoints"]] == [dead, f"{devchain.base}/ethereum"], ethereum
    assert ethereum["endpoints"][0]["breaker"] in ("open", "half_open"), ethereum
    assert ethereum["endpoints"][1]["breaker"] == "closed", ethereum
    # It stays so, through the dead node's probes, for as long as the live node answers.
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline:
        assert chain_state(health(server), "ethereum")["status"] == "degraded"
        time.sleep(0.25)


def test_the_chains_topic_is_a_topic_like_the_others(server_factory, devchain):
    server = server_factory.start(env=fast_environment(devchain, SERVER_MAX_TOPICS_PER_CONNECTION="2"))
    wait_health(server, lambda b: b["status"] == "ok", "every chain to be read")
    wallet = add_wallet(server)
    # Read once before subscribing, so no diff for it comes between the answers below.
    fetched = requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    assert fetched.status_code == 200, fetched.text

    def request(ws, message: dict) -> dict:
        ws.send(json.dumps(message))
        return json.loads(ws.recv(timeout=5))

    with connect(server.ws_url, open_timeout=5, close_timeout=2) as ws:
        first = request(ws, {"op": "subscribe", "topic": "chains", "since": 5, "epoch": "ignored"})
        assert (first["type"], first["topic"], first["chain"]) == ("chain_status", "chains", "ethereum"), first
        assert json.loads(ws.recv(timeout=5))["chain"] == "solana"
        again = request(ws, {"op": "subscribe", "topic": "chains"})
        assert (again["type"], again["code"]) == ("error", "already_subscribed"), again
        assert request(ws, {"op": "subscribe", "topic": "portfolio"})["type"] == "snapshot"
        # chains counts as one of the connection's topics.
        full = request(ws, {"op": "subscribe", "topic": f"wallet:{wallet['id']}"})
        assert (full["type"], full["code"]) == ("error", "too_many_topics"), full
        assert request(ws, {"op": "unsubscribe", "topic": "chains"}) == {"type": "unsubscribed", "topic": "chains"}
        missing = request(ws, {"op": "unsubscribe", "topic": "chains"})
        assert (missing["type"], missing["code"]) == ("error", "not_subscribed"), missing
        # No longer following: a chain's change sends nothing.
        devchain.control("fault", {"chain": "ethereum", "kind": "500"})
        wait_health(server, lambda b: chain_state(b, "ethereum")["status"] != "ok", "ethereum not ok")
        with pytest.raises(TimeoutError):
            ws.recv(timeout=1)
        unknown = request(ws, {"op": "subscribe", "topic": "chain"})
        assert unknown["code"] == "invalid_topic" and "chains" in unknown["message"], unknown
