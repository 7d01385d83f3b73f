"""The one ordered event feed, seen by independent clients: every subscriber sees every `seq`
once and rising, across two chains committing concurrently and across drops and resumes;
bulk imports answered row by row and read together, in a handful of chain requests."""

from __future__ import annotations

import contextlib
import json
import secrets
import sqlite3
import threading
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import random_evm_address
from test_chains import DevChain, chain_environment, devchain  # noqa: F401 (fixture)

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def random_solana_address() -> str:
    raw = secrets.token_bytes(32)
    number = int.from_bytes(raw, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = B58[digit] + text
    # Leading zero bytes are written as leading '1's.
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + text


def log_seqs(database) -> list[int]:
    """Every position of the event log, read straight from SQLite (WAL lets us read beside the server)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT seq FROM changes UNION ALL SELECT seq FROM wallet_events ORDER BY seq").fetchall()
    return [row[0] for row in rows]


def frame_seqs(frame: dict) -> list[int]:
    """The log positions a frame carries."""
    kind = frame["type"]
    if kind == "diff":
        return [change["seq"] for change in frame["changes"]]
    if kind in ("wallet_added", "wallet_removed"):
        return [frame["seq"]]
    if kind == "wallets_added":
        return [wallet["seq"] for wallet in frame["wallets"]]
    return []


class Follower(threading.Thread):
    """A subscriber of some topics that replays each from the start of the log, records every
    seq it is given per topic, and (when `drop_every` is set) hangs up every so often and resumes
    each topic from its last seq."""

    def __init__(self, url: str, topics: list[str], drop_every: int | None):
        super().__init__(daemon=True)
        self.url = url
        self.drop_every = drop_every
        self.seen: dict[str, list[int]] = {topic: [] for topic in topics}
        self.last: dict[str, int] = {topic: 0 for topic in topics}
        self.epoch: str | None = None
        self.resumes = 0
        self.replays = 0
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                self.session()
        except Exception as error:  # reported by the test
            self.errors.append(repr(error))

    def session(self) -> None:
        frames = 0
        with connect(self.url, open_timeout=5, close_timeout=1, max_size=None) as ws:
            for topic, last in self.last.items():
                request = {"op": "subscribe", "topic": topic, "since": last}
                if self.epoch:
                    request["epoch"] = self.epoch
                ws.send(json.dumps(request))
            while not self.stop.is_set():
                try:
                    frame = json.loads(ws.recv(timeout=0.2))
                except TimeoutError:
                    continue
                except ConnectionClosed as closed:
                    self.errors.append(f"closed: {closed}")
                    return
                if frame["type"] in ("snapshot", "error"):
                    self.errors.append(f"unexpected {frame}")
                    return
                if frame["type"] == "resumed":
                    self.epoch = frame["epoch"]
                    self.replays += 1
                    continue
                topic = frame["topic"]
                for seq in frame_seqs(frame):
                    self.seen[topic].append(seq)
                    self.last[topic] = seq
                frames += 1
                if self.drop_every and frames >= self.drop_every:
                    self.resumes += 1
                    return  # hang up and resume from `last`


def wallet_seqs(database, wallet_id: str) -> list[int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT seq FROM changes WHERE wallet_id = ? ORDER BY seq", (wallet_id,)).fetchall()
    return [row[0] for row in rows]


@pytest.mark.parametrize("ring", ["4096", "2"], ids=["ring", "tiny-ring"])
def test_every_subscriber_sees_every_seq_once_and_rising(server_factory, devchain, ring):
    # With a ring of two frames, a commit that moves two followed wallets makes three frames at
    # once (portfolio and each wallet's own): their followers fall off the ring every time and
    # continue from the log.
    evm = [random_evm_address() for _ in range(4)]
    sol = [random_solana_address() for _ in range(4)]
    database = server_factory.database_path("feed.sqlite")
    server = server_factory.start(
        env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.05", SOLANA_POLL_INTERVAL="0.05",
                              SERVER_STREAM_RING_FRAMES=ring),
        database=database)
    ids = {}
    for chain, addresses in (("ethereum", evm), ("solana", sol)):
        for address in addresses:
            response = requests.post(server.url("/api/v1/wallets"), json={"chain": chain, "address": address},
                                     timeout=5)
            assert response.status_code == 201, response.text
            ids[address] = response.json()["id"]
    pair = [f"wallet:{ids[evm[0]]}", f"wallet:{ids[evm[1]]}"]

    followers = [
        Follower(server.ws_url, ["portfolio"] + (pair if index % 3 == 0 else []),
                 drop_every=(3 + index if index % 2 else None))
        for index in range(12)
    ]
    for follower in followers:
        follower.start()

    # Both chains change every few milliseconds, so their pollers commit concurrently; on
    # Ethereum the two followed wallets often move in the same commit.
    def move(chain: str, addresses: list[str]) -> None:
        for step in range(1, 151):
            for address in (addresses[step % len(addresses)], addresses[(step + 1) % len(addresses)]):
                devchain.control("balance", {"chain": chain, "address": address, "token": None,
                                             "amount": str(step * 1000 + secrets.randbelow(999) + 1)})
            # Spread over about three seconds, so even a loaded machine polls each wallet often.
            time.sleep(0.02)

    # Imports make large frames (one per import, a hundred wallets each) among the small ones.
    def import_wallets() -> None:
        for _ in range(3):
            rows = [{"chain": "ethereum", "address": random_evm_address(), "label": "x" * 60} for _ in range(100)]
            assert requests.post(server.url("/api/v1/wallets/import"), json=rows, timeout=10).status_code == 200
            time.sleep(0.3)

    movers = [threading.Thread(target=move, args=("ethereum", evm)),
              threading.Thread(target=move, args=("solana", sol)),
              threading.Thread(target=import_wallets)]
    for mover in movers:
        mover.start()
    # A wallet added and one removed mid-way are events in the same log.
    extra = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": random_evm_address()},
                          timeout=5).json()
    assert requests.delete(server.url(f"/api/v1/wallets/{extra['id']}"), timeout=5).status_code == 204
    for mover in movers:
        mover.join()

    # Wait until the log stops growing and every follower has read to its end.
    def expected() -> dict[str, list[int]]:
        return {"portfolio": log_seqs(database), pair[0]: wallet_seqs(database, ids[evm[0]]),
                pair[1]: wallet_seqs(database, ids[evm[1]])}

    # On a loaded machine the pollers and the followers' replays can trail the movers by tens of
    # seconds; the loop ends as soon as the log is still and every follower has read to its end.
    deadline = time.monotonic() + 90
    final = expected()
    while time.monotonic() < deadline:
        final = expected()
        time.sleep(0.5)
        if final == expected() and all(f.seen[t][-1:] == final[t][-1:] for f in followers for t in f.seen):
            break
    for follower in followers:
        follower.stop.set()
    for follower in followers:
        follower.join(5)

    assert len(final["portfolio"]) > 300, f"too few events to test ordering: {len(final['portfolio'])}"
    assert len(final[pair[0]]) >= 3 and len(final[pair[1]]) >= 3
    for index, follower in enumerate(followers):
        assert not follower.errors, (index, follower.errors)
        for topic, seen in follower.seen.items():
            assert seen == sorted(set(seen)), f"follower {index} saw {topic} seqs out of order or twice"
            assert seen == final[topic], f"follower {index} missed {sorted(set(final[topic]) - set(seen))[:10]} on {topic}"
    assert sum(f.resumes for f in followers) >= 12, "the droppers never resumed"
    connections = sum(len(f.seen) for f in followers) + sum(f.resumes * len(f.seen) for f in followers)
    if ring == "2":
        # More replays than subscriptions made: followers fell off the ring and went on from the log.
        assert sum(f.replays for f in followers) > connections, (sum(f.replays for f in followers), connections)


def test_import_answers_each_row(server_factory):
    server = server_factory.start()
    existing = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": random_evm_address()},
                             timeout=5).json()
    fresh = random_evm_address()
    rows = [
        {"chain": "ethereum", "address": fresh, "label": "new"},
        {"chain": "ethereum", "address": existing["address"]},
        {"chain": "ethereum", "address": fresh.upper().replace("0X", "0x")},  # the same wallet again
        {"chain": "dogechain", "address": random_evm_address()},
        {"chain": "ethereum", "address": "0x1234"},
        {"chain": "solana", "address": random_solana_address(), "label": "x" * 101},
        {"chain": "ethereum", "address": random_evm_address(), "color": "red"},
        "not an object",
        {"chain": "ethereum"},
    ]
    response = requests.post(server.url("/api/v1/wallets/import"), json=rows, timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["existing"], body["invalid"]) == (1, 2, 6), body
    results = body["results"]
    assert [r["row"] for r in results] == list(range(1, len(rows) + 1))
    assert [r["status"] for r in results] == [
        "created", "exists", "exists", "invalid", "invalid", "invalid", "invalid", "invalid", "invalid"]
    created_id = results[0]["id"]
    assert results[0]["wallet"]["label"] == "new"
    assert results[1]["id"] == existing["id"]
    assert results[2]["id"] == created_id
    assert [r["field"] for r in results[3:]] == ["chain", "address", "label", "color", None, "address"]
    assert "dogechain" in results[3]["error"] and "Invalid ethereum address" in results[4]["error"]
    listed = {w["id"] for w in requests.get(server.url("/api/v1/wallets"), timeout=5).json()["wallets"]}
    assert listed == {existing["id"], created_id}


def test_import_csv_with_header(server_factory):
    server = server_factory.start()
    first, second = random_evm_address(), random_solana_address()
    text = f"label,chain,address\nmain,ethereum,{first}\n,solana,{second}\n\nbad,ethereum,nope\n"
    response = requests.post(server.url("/api/v1/wallets/import"), data=text,
                             headers={"content-type": "text/csv"}, timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["created", "created", "invalid"], body
    assert body["results"][0]["wallet"]["label"] == "main" and body["results"][1]["wallet"]["label"] is None


def test_import_refuses_what_it_cannot_read(server_factory):
    server = server_factory.start()
    url = server.url("/api/v1/wallets/import")
    cases = [
        (requests.post(url, data="chain;address\nethereum;0x", headers={"content-type": "text/csv"}, timeout=5), 400,
         "chain,address"),
        (requests.post(url, json={"chain": "ethereum"}, timeout=5), 400, "JSON array"),
        (requests.post(url, json=[], timeout=5), 400, "no rows"),
        (requests.post(url, data="x", headers={"content-type": "application/xml"}, timeout=5), 415, "text/csv"),
        (requests.post(url, json=[{"chain": "ethereum", "address": "0x"}] * 10_001, timeout=10), 413, "10000"),
    ]
    for response, status, mentions in cases:
        assert response.status_code == status, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert mentions in response.json()["detail"], response.text


def test_ten_thousand_rows_are_read_together_and_a_change_on_the_last_shows(server_factory, devchain):
    addresses = [random_evm_address() for _ in range(10_000)]
    poll = 2.0
    server = server_factory.start(env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL=str(poll),
                                                        SOLANA_ENABLED="false"))
    time.sleep(0.5)
    devchain.control("reset-stats", {})
    rows = [{"chain": "ethereum", "address": address, "label": f"w{index}"} for index, address in enumerate(addresses)]
    rows[5] = {"chain": "ethereum", "address": addresses[4]}  # a duplicate
    rows[6] = {"chain": "ethereum", "address": "0xnot-an-address"}
    started = time.monotonic()
    response = requests.post(server.url("/api/v1/wallets/import"), json=rows, timeout=30)
    answered = time.monotonic() - started
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["existing"], body["invalid"]) == (9_998, 1, 1)
    last = body["results"][-1]
    assert last["status"] == "created"

    devchain.control("balance", {"chain": "ethereum", "address": addresses[-1], "token": None, "amount": "777"})
    changed = time.monotonic()
    deadline = changed + 2 * poll + 15
    raw = None
    while time.monotonic() < deadline:
        balances = requests.get(server.url(f"/api/v1/wallets/{last['id']}/balances"), timeout=5).json()["balances"]
        raw = next((b["raw"] for b in balances if b["token"] is None), None)
        if raw == "777":
            break
        time.sleep(0.1)
    shown = time.monotonic() - changed
    assert raw == "777", f"the change on the last wallet was not shown in {shown:.1f} s"
    requests_made = devchain_requests(devchain, "ethereum")
    print(f"import answered in {answered:.2f} s; change shown after {shown:.2f} s; "
          f"{requests_made} ethereum HTTP requests")
    assert requests_made <= 300, requests_made


def devchain_requests(devchain: DevChain, chain: str) -> int:
    stats = requests.get(f"{devchain.base}/control/stats", timeout=5).json()
    return stats[chain]["http_requests"]


def test_a_thousand_single_adds_are_read_in_a_handful_of_requests(server_factory, devchain):
    server = server_factory.start(env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL="60", SOLANA_ENABLED="false"))
    time.sleep(0.5)
    devchain.control("reset-stats", {})
    addresses = [random_evm_address() for _ in range(1000)]
    for address in addresses[:-1]:
        devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": "5"})
    session = requests.Session()
    devchain.control("reset-stats", {})
    ids = []
    for address in addresses:
        response = session.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address}, timeout=5)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    devchain.control("balance", {"chain": "ethereum", "address": addresses[-1], "token": None, "amount": "9"})
    # A manual fetch of the last wallet answers with the fresh balance, without waiting for the
    # 60 s poll, behind whatever first reads are still queued.
    fetched = session.post(server.url(f"/api/v1/wallets/{ids[-1]}/fetch"), timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert [b["raw"] for b in fetched.json()["balances"] if b["token"] is None] == ["9"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        balances = session.get(server.url(f"/api/v1/wallets/{ids[0]}/balances"), timeout=5).json()["balances"]
        if balances:
            break
        time.sleep(0.1)
    assert [b["raw"] for b in balances if b["token"] is None] == ["5"]
    made = devchain_requests(devchain, "ethereum")
    print(f"1000 single adds: {made} ethereum HTTP requests")
    assert made <= 100, made


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_clients_that_repeat_subscribes_and_never_read_are_bounded(server_factory):
    server = server_factory.start()
    rows = [{"chain": "ethereum", "address": random_evm_address(), "label": f"wallet {i}"} for i in range(1000)]
    assert requests.post(server.url("/api/v1/wallets/import"), json=rows, timeout=30).status_code == 200
    before = rss_kib(server.proc.pid)
    message = json.dumps({"op": "subscribe", "topic": "portfolio"})
    clients = []
    stack = contextlib.ExitStack()
    for _ in range(10):
        ws = stack.enter_context(connect(server.ws_url, open_timeout=5, close_timeout=1, max_queue=1))
        for _ in range(1100):
            try:
                ws.send(message)
            except ConnectionClosed:
                break
        clients.append(ws)
    time.sleep(2)
    started = time.monotonic()
    assert requests.get(server.url("/api/v1/live"), timeout=5).status_code == 200
    took = time.monotonic() - started
    after = rss_kib(server.proc.pid)
    codes = []
    for ws in clients:
        try:
            while True:
                ws.recv(timeout=5)
        except ConnectionClosed as closed:
            codes.append(closed.rcvd.code if closed.rcvd else None)
        except TimeoutError:
            codes.append("open")
    stack.close()
    print(f"RSS {before} -> {after} KiB; /api/v1/live in {took * 1000:.0f} ms; close codes {codes}")
    assert took < 1.0, took
    assert after - before < 150_000, (before, after)
    # Each is closed by the server; a client that never reads may lose the close frame itself to
    # the reset that follows it (None).
    assert all(code in (1008, 1013, None) for code in codes), codes


def test_a_client_far_ahead_of_its_answers_is_closed_with_1008(server_factory):
    server = server_factory.start()
    with connect(server.ws_url, open_timeout=5, close_timeout=1) as ws:
        # Messages the server refuses cost nothing to send and an answer each to handle.
        with pytest.raises(ConnectionClosed) as closed:
            for _ in range(5000):
                ws.send("{}")
            while True:
                ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008, closed.value
    assert "awaiting an answer" in closed.value.rcvd.reason


def test_a_frame_larger_than_one_write_arrives_whole(server_factory):
    server = server_factory.start()
    with connect(server.ws_url, open_timeout=5, max_size=None) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"
        # One import is one frame of two thousand wallets: several hundred kilobytes, sent in pieces.
        rows = [{"chain": "ethereum", "address": random_evm_address(), "label": f"label {i:04d} " + "x" * 80}
                for i in range(2000)]
        assert requests.post(server.url("/api/v1/wallets/import"), json=rows, timeout=30).status_code == 200
        small = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": random_evm_address()},
                              timeout=5).json()
        text = ws.recv(timeout=10)
        assert len(text) > 200_000, len(text)
        frame = json.loads(text)
        assert frame["type"] == "wallets_added"
        assert [w["label"] for w in frame["wallets"]] == [row["label"] for row in rows]
        assert [w["seq"] for w in frame["wallets"]] == list(range(1, 2001))
        after = json.loads(ws.recv(timeout=10))
        assert after["type"] == "wallet_added" and after["wallet"]["id"] == small["id"] and after["seq"] == 2001
