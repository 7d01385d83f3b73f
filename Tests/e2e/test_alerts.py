"""Alert rules end to end: each fires once per crossing, into the stream (`alert` frames) and to
webhooks (`alert.triggered`), and bad rules are refused."""

from __future__ import annotations

import json
import time

import pytest
import requests
from websockets.sync.client import connect

from conftest import random_evm_address
from test_chains import DevChain, chain_environment
from test_webhooks import Receiver, verify

ETH = 10**18


@pytest.fixture(scope="module")
def devchain():
    chain = DevChain()
    yield chain
    chain.stop()


def start(server_factory, devchain):
    return server_factory.start(env=chain_environment(
        devchain, ETHEREUM_POLL_INTERVAL="60", NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true",
        PRICES_SOURCES="fixed", PRICES_FIXED="ethereum:native=1000"))


def set_eth(server, devchain, address: str, wallet: str, eth: float) -> None:
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(int(eth * ETH))})
    assert requests.post(server.url(f"/api/v1/wallets/{wallet}/fetch"), timeout=10).status_code == 200


def alerts_in(ws, seconds: float = 1.5) -> list[dict]:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            frame = json.loads(ws.recv(timeout=max(0.05, deadline - time.monotonic())))
        except TimeoutError:
            break
        if frame["type"] == "alert":
            seen.append(frame)
    return seen


def test_a_value_rule_fires_once_per_crossing(server_factory, devchain):
    server = start(server_factory, devchain)
    address = random_evm_address()
    devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(ETH)})
    wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address},
                           timeout=10).json()["id"]
    set_eth(server, devchain, address, wallet, 1)  # $1,000
    rule = requests.post(server.url("/api/v1/alerts"), timeout=10,
                         json={"kind": "value_above", "threshold": "1500", "name": "Over 1.5k"})
    assert rule.status_code == 201, rule.text
    with connect(server.ws_url) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"
        set_eth(server, devchain, address, wallet, 1.2)  # $1,200: learns it is below, no alert
        assert alerts_in(ws) == []
        set_eth(server, devchain, address, wallet, 2)  # $2,000: crosses above
        fired = alerts_in(ws)
        assert len(fired) == 1, fired
        assert fired[0]["alert"]["title"] == "Over 1.5k above $1500"
        assert fired[0]["alert"]["data"]["usd"] == "2000"
        set_eth(server, devchain, address, wallet, 3)  # still above: nothing
        assert alerts_in(ws) == []
        set_eth(server, devchain, address, wallet, 1)  # back below: re-armed, nothing
        assert alerts_in(ws) == []
        set_eth(server, devchain, address, wallet, 1.6)  # crosses again
        again = alerts_in(ws)
        assert len(again) == 1
    # The fired alerts are kept: newest first, in pages, and the rule says when it last fired.
    rule_id = rule.json()["id"]
    first = requests.get(server.url("/api/v1/alert-events"), params={"limit": 1}, timeout=10).json()
    assert [f["seq"] for f in first["fired"]] == [again[0]["seq"]]
    assert first["fired"][0]["rule_id"] == rule_id and first["fired"][0]["details"]["usd"] == "1600"
    rest = requests.get(server.url("/api/v1/alert-events"), params={"before": first["next_before"]}, timeout=10).json()
    assert [f["seq"] for f in rest["fired"]] == [fired[0]["seq"]] and rest["next_before"] is None
    listed = requests.get(server.url(f"/api/v1/alerts/{rule_id}"), timeout=10).json()
    assert listed["last_fired_at"] == first["fired"][0]["at"] and listed["beyond"] is True
    assert requests.get(server.url("/api/v1/alert-events"), params={"rule_id": "nope"}, timeout=10).status_code == 400


def test_activity_and_balance_rules_reach_webhooks(server_factory, devchain):
    receiver = Receiver()
    try:
        server = start(server_factory, devchain)
        address = random_evm_address()
        devchain.control("balance", {"chain": "ethereum", "address": address, "token": None, "amount": str(ETH)})
        wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": address},
                               timeout=10).json()["id"]
        set_eth(server, devchain, address, wallet, 1)
        hook = requests.post(server.url("/api/v1/webhooks"), timeout=10,
                             json={"url": receiver.url, "event_types": ["alert.triggered"]}).json()
        incoming = requests.post(server.url("/api/v1/alerts"), timeout=10,
                                 json={"kind": "activity", "wallet_id": wallet, "direction": "incoming"}).json()
        big = requests.post(server.url("/api/v1/alerts"), timeout=10,
                            json={"kind": "balance_change", "asset": "ETH", "threshold": "50", "percent": True}).json()
        set_eth(server, devchain, address, wallet, 0.9)  # outgoing, -10 %: neither fires
        set_eth(server, devchain, address, wallet, 2.0)  # incoming, +122 %: both fire
        messages = receiver.wait_for(2)
        time.sleep(0.5)
        payloads = [verify(m, hook["secret"]) for m in receiver.accepted()]
        assert sorted(p["data"]["rule_id"] for p in payloads) == sorted([incoming["id"], big["id"]])
        assert all(p["type"] == "alert.triggered" for p in payloads)
        titles = {p["data"]["title"] for p in payloads}
        assert "ETH received" in titles
    finally:
        receiver.close()


def test_bad_rules_are_refused_and_rules_are_per_user(server_factory, devchain):
    server = start(server_factory, devchain)
    for body, field in [
        ({}, "kind"), ({"kind": "moon"}, "kind"), ({"kind": "value_above"}, "threshold"),
        ({"kind": "value_above", "threshold": "-5"}, "threshold"), ({"kind": "value_above", "threshold": "1e9"}, "threshold"),
        ({"kind": "balance_change", "threshold": "1"}, "asset"),
        ({"kind": "activity", "direction": "sideways"}, "direction"),
        ({"kind": "activity", "wallet_id": "00000000-0000-0000-0000-000000000000"}, "wallet_id"),
        ({"kind": "activity", "extra": 1}, "extra"),
    ]:
        reply = requests.post(server.url("/api/v1/alerts"), json=body, timeout=10)
        assert reply.status_code == 400, (body, reply.text)
        assert reply.json()["field"] == field, (body, reply.json())
    rule = requests.post(server.url("/api/v1/alerts"), json={"kind": "activity"}, timeout=10).json()
    paused = requests.patch(server.url(f"/api/v1/alerts/{rule['id']}"), json={"enabled": False}, timeout=10).json()
    assert paused["enabled"] is False
    assert requests.delete(server.url(f"/api/v1/alerts/{rule['id']}"), timeout=10).status_code == 204
    assert requests.get(server.url(f"/api/v1/alerts/{rule['id']}"), timeout=10).status_code == 404
