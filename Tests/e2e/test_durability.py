"""Data survives restarts, and SIGKILL never loses an acknowledged write or corrupts the file."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time

import requests

from conftest import add_wallet, list_all_wallets, random_evm_address

KILL_ROUNDS = 3
WRITE_SECONDS = 1.0


def integrity_check(path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def test_data_survives_graceful_restart(server_factory):
    database = server_factory.database_path("restart.sqlite")
    first = server_factory.start(database=database)
    added = [add_wallet(first, label=f"wallet {i}") for i in range(25)]
    added.append(add_wallet(first, "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV", chain="solana"))
    relabeled = requests.patch(first.url(f"/api/v1/wallets/{added[0]['id']}"), json={"label": "renamed"}, timeout=5)
    assert relabeled.status_code == 200, relabeled.text
    removed = added.pop(1)
    assert requests.delete(first.url(f"/api/v1/wallets/{removed['id']}"), timeout=5).status_code == 204
    assert first.stop(signal.SIGTERM) == 0, first.stderr_text

    second = server_factory.start(database=database)
    listed = list_all_wallets(second)
    by_id = {wallet["id"]: wallet for wallet in listed}
    assert [w["id"] for w in listed] == [w["id"] for w in added], "all wallets, in creation order"
    assert removed["id"] not in by_id
    assert by_id[added[0]["id"]]["label"] == "renamed"
    for wallet in added[1:]:
        stored = by_id[wallet["id"]]
        for key in ("chain", "address", "label", "created_at"):
            assert stored[key] == wallet[key], (key, stored, wallet)
    health = requests.get(second.url("/api/v1/health"), timeout=5).json()
    assert health["wallets"] == len(added)
    assert second.stop() == 0
    assert integrity_check(database) == "ok"


class Writer(threading.Thread):
    """POSTs distinct wallets as fast as it can; records every id answered 201."""

    def __init__(self, base_url: str):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.acknowledged: dict[str, str] = {}  # id -> address
        self.errors: list[str] = []
        self.stop_requested = threading.Event()

    def run(self) -> None:
        session = requests.Session()
        try:
            while not self.stop_requested.is_set():
                address = random_evm_address()
                try:
                    response = session.post(
                        self.base_url + "/api/v1/wallets", json={"address": address, "chain": "ethereum"}, timeout=5
                    )
                except requests.RequestException:
                    return  # the server died mid-request: that write was never acknowledged
                if response.status_code == 201:
                    self.acknowledged[response.json()["id"]] = address.lower()
                else:
                    self.errors.append(f"{response.status_code} {response.text}")
                    return
        finally:
            session.close()


def test_sigkill_while_writing_loses_no_acknowledged_wallet(server_factory):
    database = server_factory.database_path("kill.sqlite")
    acknowledged: dict[str, str] = {}
    for round_number in range(KILL_ROUNDS):
        process = server_factory.start(database=database)
        # Everything acknowledged in earlier rounds is still there after the restart.
        if acknowledged:
            present = {w["id"]: w["address"].lower() for w in list_all_wallets(process)}
            missing = set(acknowledged) - set(present)
            assert not missing, f"round {round_number}: {len(missing)} acknowledged wallets lost"
        writer = Writer(process.base_url)
        writer.start()
        time.sleep(WRITE_SECONDS)
        process.kill()  # SIGKILL
        assert process.proc.returncode == -signal.SIGKILL
        writer.stop_requested.set()
        writer.join(10)
        assert not writer.is_alive()
        assert not writer.errors, writer.errors
        assert len(writer.acknowledged) >= 5, "the writer barely wrote; the test proves nothing"
        acknowledged.update(writer.acknowledged)
        # The file is consistent right after the kill (the WAL is not yet checkpointed).
        assert integrity_check(database) == "ok"

    final = server_factory.start(database=database)
    listed = list_all_wallets(final)
    present = {w["id"]: w["address"].lower() for w in listed}
    missing = set(acknowledged) - set(present)
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged wallets lost: {sorted(missing)[:5]}"
    for wallet_id, address in acknowledged.items():
        assert present[wallet_id] == address
    # Spot-check single reads too.
    with requests.Session() as session:
        for wallet_id in list(acknowledged)[:: max(1, len(acknowledged) // 50)]:
            response = session.get(final.url(f"/api/v1/wallets/{wallet_id}"), timeout=5)
            assert response.status_code == 200, response.text
    assert len(set(present.values())) == len(present), "no address stored twice"
    # While it runs (WAL allows a concurrent reader) and after it stops.
    assert integrity_check(database) == "ok"
    assert final.stop() == 0, final.stderr_text
    assert integrity_check(database) == "ok"


def test_sigkill_during_imports_keeps_each_import_whole(server_factory):
    """Imports answered before a SIGKILL are kept whole; one cut short is kept whole or not at all,
    and every wallet has its `wallet_added` event in the log."""
    database = server_factory.database_path("imports.sqlite")
    acknowledged: list[set[str]] = []
    for _ in range(KILL_ROUNDS):
        server = server_factory.start(database=database)
        stop = threading.Event()

        def send() -> None:
            while not stop.is_set():
                rows = [{"chain": "ethereum", "address": random_evm_address()} for _ in range(500)]
                try:
                    response = requests.post(server.url("/api/v1/wallets/import"), json=rows, timeout=10)
                except requests.RequestException:
                    return
                if response.status_code == 200:
                    acknowledged.append({r["id"] for r in response.json()["results"] if r["status"] == "created"})

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        time.sleep(WRITE_SECONDS)
        server.kill()
        stop.set()
        sender.join(10)

    assert integrity_check(database) == "ok"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM wallets")}
        added_events = {row[0] for row in db.execute("SELECT wallet_id FROM wallet_events WHERE kind = 'added'")}
        seqs = [row[0] for row in db.execute("SELECT seq FROM wallet_events ORDER BY seq")]
        last = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").fetchone()[0]
    assert len(acknowledged) >= KILL_ROUNDS, "too few imports answered to test anything"
    for batch in acknowledged:
        assert batch <= stored, "an acknowledged import lost wallets"
    assert len(stored) % 500 == 0, f"an import was kept in part: {len(stored)} wallets"
    assert stored == added_events
    assert seqs == list(range(1, len(seqs) + 1)) and last == seqs[-1]
