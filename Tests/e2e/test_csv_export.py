"""CSV export of the lists (`Accept: text/csv`), read back with Python's csv module; the
wallets' file imports back."""

from __future__ import annotations

import csv
import io

import requests

from conftest import random_evm_address
from test_chains import DevChain, chain_environment

ETH = 10**18
CSV = {"Accept": "text/csv"}


def read_csv(answer: requests.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith('attachment; filename="')
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_wallets_export_and_import_back(server_factory):
    server = server_factory.start()
    addresses = [random_evm_address() for _ in range(3)]
    labels = ["savings, long term", 'the "cold" one', "=HYPERLINK(\"http://x\")"]
    for address, label in zip(addresses, labels):
        assert requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address,
                                                                   "label": label}, timeout=10).status_code == 201
    answer = requests.get(server.url("/api/v1/wallets"), headers=CSV, timeout=10)
    rows = read_csv(answer)
    assert answer.text.splitlines()[0] == "chain,address,label,id,created_at"
    assert sorted(r["address"].lower() for r in rows) == sorted(addresses)
    by_address = {r["address"].lower(): r for r in rows}
    assert by_address[addresses[0]]["label"] == "savings, long term"
    assert by_address[addresses[1]]["label"] == 'the "cold" one'
    # A label that a spreadsheet would run as a formula is written as text.
    assert by_address[addresses[2]]["label"] == "'=HYPERLINK(\"http://x\")"
    other = server_factory.start()
    imported = requests.post(other.url("/api/v1/wallets/import"), data=answer.text.encode(),
                             headers={"content-type": "text/csv"}, timeout=10)
    assert imported.status_code == 200, imported.text
    assert imported.json()["created"] == 3
    # JSON stays the default, and wins a tie.
    assert requests.get(server.url("/api/v1/wallets"), timeout=10).headers["content-type"].startswith(
        "application/json")
    tie = requests.get(server.url("/api/v1/wallets"), headers={"Accept": "application/json, text/csv"}, timeout=10)
    assert tie.headers["content-type"].startswith("application/json")
    ranked = requests.get(server.url("/api/v1/wallets"), headers={"Accept": "application/json;q=0.5, text/csv"},
                          timeout=10)
    assert ranked.headers["content-type"].startswith("text/csv")


def test_holdings_and_history_export(server_factory):
    chain = DevChain()
    try:
        server = server_factory.start(env=chain_environment(
            chain, ETHEREUM_POLL_INTERVAL="60", PRICES_SOURCES="fixed", PRICES_FIXED="ethereum:native=2000"))
        address = random_evm_address()
        chain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(2 * ETH)})
        wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address},
                               timeout=10).json()["id"]
        assert requests.post(server.url(f"/api/v1/wallets/{wallet}/fetch"), timeout=10).status_code == 200
        chain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(3 * ETH)})
        assert requests.post(server.url(f"/api/v1/wallets/{wallet}/fetch"), timeout=10).status_code == 200

        holdings = read_csv(requests.get(server.url("/api/v1/portfolio"), headers=CSV, timeout=10))
        eth = [row for row in holdings if row["chain"] == "ethereum" and row["asset"] == "ETH"]
        assert len(eth) == 1 and eth[0]["amount"] == "3" and eth[0]["price"] == "2000", holdings
        assert float(eth[0]["usd"]) == 6000 and eth[0]["token"] == "" and eth[0]["wallets"] == "1"

        changes = read_csv(requests.get(server.url(f"/api/v1/wallets/{wallet}/history"), headers=CSV, timeout=10))
        native = [(row["old"], row["new"]) for row in changes if row["asset"] == "ETH"]
        assert native == [("2", "3"), ("0", "2")], changes
        assert float(changes[0]["usd_delta"]) == 2000 and changes[0]["price"] == "2000", changes[0]

        history = read_csv(requests.get(server.url("/api/v1/portfolio/history"), headers=CSV, timeout=10))
        assert history and set(history[0]) == {"time", "usd", "unpriced_assets"}
        assert float(history[-1]["usd"]) == 6000, history[-3:]
    finally:
        chain.stop()
