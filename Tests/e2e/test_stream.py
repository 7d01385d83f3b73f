"""The live stream end to end: devchain moves balances, the poller reads them, subscribers get
diffs; resuming with `since` replays exactly what was missed, also across a restart."""

import json
import time

import pytest
import requests
from websockets.sync.client import connect

from test_chains import DevChain, chain_environment

WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"


@pytest.fixture
def devchain():
    chain = DevChain()
    yield chain
    chain.stop()


def fast_environment(devchain):
    return chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.05", SOLANA_POLL_INTERVAL="0.05")


def set_eth(devchain, amount: str, address: str = WALLET) -> None:
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": amount})


def receive(ws, timeout: float = 10.0) -> dict:
    return json.loads(ws.recv(timeout=timeout))


def receive_until(ws, predicate, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        frame = receive(ws, max(0.1, deadline - time.monotonic()))
        if predicate(frame):
            return frame


def diff_values(frame: dict) -> list[tuple[str, str]]:
    return [(c["raw_old"], c["raw_new"]) for c in frame["changes"]]


def wait_for_wallet_read(server, wallet_id: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body = requests.get(server.url(f"/api/v1/wallets/{wallet_id}/balances"), timeout=5).json()
        if body["balances"]:
            return
        time.sleep(0.02)
    raise AssertionError("the new wallet was never read")


def add(server, address=WALLET) -> dict:
    response = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address}, timeout=5)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_balance_change_reaches_subscribers_as_a_diff(server_factory, devchain):
    set_eth(devchain, "1000")
    server = server_factory.start(env=fast_environment(devchain))
    wallet = add(server)
    wait_for_wallet_read(server, wallet["id"])
    with connect(server.ws_url, open_timeout=5) as portfolio, connect(server.ws_url, open_timeout=5) as single:
        portfolio.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        snapshot = receive(portfolio)
        assert snapshot["type"] == "snapshot" and snapshot["seq"] >= 1
        [entry] = snapshot["data"]["wallets"]
        assert entry["id"] == wallet["id"] and entry["balances"][0]["raw"] == "1000"
        single.send(json.dumps({"op": "subscribe", "topic": f"wallet:{wallet['id']}"}))
        assert receive(single)["data"]["wallet"]["id"] == wallet["id"]

        set_eth(devchain, "2500")
        for ws, topic in [(portfolio, "portfolio"), (single, f"wallet:{wallet['id']}")]:
            diff = receive_until(ws, lambda f: f["type"] == "diff")
            assert diff["topic"] == topic
            assert diff["seq"] > snapshot["seq"]
            [change] = diff["changes"]
            assert (change["raw_old"], change["raw_new"]) == ("1000", "2500")
            assert change["wallet"] == wallet["id"] and change["chain"] == "ethereum" and change["asset"] == "ETH"
            assert change["token"] is None and change["old"] == "0.000000000000001"


def test_resume_with_since_replays_exactly_the_missed_changes(server_factory, devchain):
    set_eth(devchain, "1")
    server = server_factory.start(env=fast_environment(devchain))
    wallet = add(server)
    wait_for_wallet_read(server, wallet["id"])
    with connect(server.ws_url, open_timeout=5) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        snapshot = receive(ws)
    seen_through, epoch = snapshot["seq"], snapshot["epoch"]
    # Disconnected: three changes happen, each read by the poller.
    for amount in ["2", "3", "4"]:
        set_eth(devchain, amount)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            balances = requests.get(server.url(f"/api/v1/wallets/{wallet['id']}/balances"), timeout=5).json()["balances"]
            if balances[0]["raw"] == amount:
                break
            time.sleep(0.02)
    with connect(server.ws_url, open_timeout=5) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio", "since": seen_through, "epoch": epoch}))
        frames = []
        while True:
            frame = receive(ws)
            frames.append(frame)
            if frame["type"] == "resumed":
                break
    changes = [c for f in frames if f["type"] == "diff" for c in f["changes"]]
    assert [(c["raw_old"], c["raw_new"]) for c in changes] == [("1", "2"), ("2", "3"), ("3", "4")]
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and seqs[0] > seen_through
    assert frames[-1]["seq"] == seqs[-1] and frames[-1]["replayed"] == 3


def test_resume_across_a_restart_and_a_foreign_epoch_gets_a_reset(server_factory, devchain, tmp_path):
    database = tmp_path / "restart.sqlite"
    set_eth(devchain, "10")
    server = server_factory.start(env=fast_environment(devchain), database=database)
    wallet = add(server)
    wait_for_wallet_read(server, wallet["id"])
    with connect(server.ws_url, open_timeout=5) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": f"wallet:{wallet['id']}"}))
        snapshot = receive(ws)
    assert server.stop() == 0
    set_eth(devchain, "20")  # happens while the server is down
    server = server_factory.start(env=fast_environment(devchain), database=database)
    with connect(server.ws_url, open_timeout=5) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": f"wallet:{wallet['id']}", "since": snapshot["seq"],
                            "epoch": snapshot["epoch"]}))
        frame = receive_until(ws, lambda f: f["type"] == "diff")
        assert diff_values(frame) == [("10", "20")]
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio", "since": 0, "epoch": "another-database"}))
        reset = receive_until(ws, lambda f: f["type"] == "snapshot")
        assert reset["reset"] is True and reset["epoch"] == snapshot["epoch"]


def test_wallet_added_and_removed_reach_portfolio_subscribers(server_factory, devchain):
    server = server_factory.start(env=fast_environment(devchain))
    with connect(server.ws_url, open_timeout=5) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        assert receive(ws)["type"] == "snapshot"
        wallet = add(server)
        added = receive_until(ws, lambda f: f["type"] == "wallet_added")
        assert added["wallet"]["id"] == wallet["id"]
        with connect(server.ws_url, open_timeout=5) as single:
            single.send(json.dumps({"op": "subscribe", "topic": f"wallet:{wallet['id']}"}))
            assert receive(single)["type"] == "snapshot"
            assert requests.delete(server.url(f"/api/v1/wallets/{wallet['id']}"), timeout=5).status_code == 204
            gone = receive_until(single, lambda f: f["type"] == "wallet_removed")
            assert gone["wallet_id"] == wallet["id"] and gone["topic"] == f"wallet:{wallet['id']}"
        removed = receive_until(ws, lambda f: f["type"] == "wallet_removed")
        assert removed["wallet_id"] == wallet["id"]


def test_a_stalled_client_does_not_delay_a_reading_one(server_factory, devchain):
    set_eth(devchain, "1")
    server = server_factory.start(env=fast_environment(devchain))
    wallet = add(server)
    wait_for_wallet_read(server, wallet["id"])
    with connect(server.ws_url, open_timeout=5, close_timeout=1, max_queue=1) as stalled, \
            connect(server.ws_url, open_timeout=5, close_timeout=1) as reader:
        for ws in (stalled, reader):
            ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
            assert receive(ws)["type"] == "snapshot"
        # The stalled client never reads again; the reader must see each change promptly.
        for amount in range(2, 12):
            set_eth(devchain, str(amount))
            started = time.monotonic()
            diff = receive_until(reader, lambda f: f["type"] == "diff")
            assert diff_values(diff)[-1][1] == str(amount)
            assert time.monotonic() - started < 2.0


def test_sigkill_during_cycles_leaves_a_consistent_log(server_factory, devchain, tmp_path):
    """Killed while the poller writes, the database stays whole: every wallet's change log
    chains (each change starts where the last ended) and ends at its stored balance, and after
    a restart the server catches up with what moved while it was down."""
    import random
    import sqlite3
    import signal
    import threading

    database = tmp_path / "kill.sqlite"
    addresses = ["0x" + f"{i + 1:040x}" for i in range(200)]
    for address in addresses:
        set_eth(devchain, "1", address)
    server = server_factory.start(env=fast_environment(devchain), database=database)
    for address in addresses:
        add(server, address)
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            set_eth(devchain, str(random.randint(1, 10**20)), random.choice(addresses))

    mover = threading.Thread(target=churn)
    mover.start()
    try:
        for _ in range(3):
            time.sleep(0.7)
            server.send_signal(signal.SIGKILL)
            server.wait_exit(10)
            server = server_factory.start(env=fast_environment(devchain), database=database)
    finally:
        stop.set()
        mover.join()
    time.sleep(2.0)  # the last server catches up with the final balances
    assert server.stop() == 0

    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = connection.execute("SELECT wallet_id, token, raw_old, raw_new FROM changes ORDER BY seq").fetchall()
    last: dict[tuple[str, str], str] = {}
    for wallet, token, old, new in rows:
        assert last.get((wallet, token), "0") == old, (wallet, token, old, new)
        last[(wallet, token)] = new
    stored = dict(((w, t), raw) for w, t, raw in connection.execute("SELECT wallet_id, token, raw FROM balances"))
    assert stored == last
    # The final balances on devchain are what the server holds.
    chain_balances = {}
    for address in addresses:
        response = requests.post(f"{devchain.base}/ethereum", json={"jsonrpc": "2.0", "id": 1, "method": "eth_getBalance",
                                                                       "params": [address, "latest"]}, timeout=5)
        chain_balances[address.lower()] = str(int(response.json()["result"], 16))
    wallet_address = dict(connection.execute("SELECT id, lower(address) FROM wallets"))
    assert {wallet_address[w]: raw for (w, _), raw in stored.items()} == chain_balances
