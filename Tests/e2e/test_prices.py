"""USD prices end to end: the server process asks devchain's CoinGecko API, reads Chainlink feeds
on devchain's Ethereum and applies fixed prices, in the configured order; REST answers and
WebSocket subscribers (Python `websockets`, an independent client) show the values. Every
expected number is worked out by hand in the test that checks it.

Each test starts its own devchain and server, by default with a short refresh interval (0.3 s)
and no CoinGecko pacing (devchain has no rate limit), and waits with deadlines, never fixed
sleeps."""

from __future__ import annotations

import contextlib
import json
import math
import time
from datetime import datetime, timezone

import pytest
import requests
from websockets.sync.client import connect

from conftest import add_wallet
from test_chains import DevChain, chain_environment, devchain  # noqa: F401 (fixture)
from test_feed import random_solana_address
from test_stream import receive, receive_until

WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
OTHER = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
THIRD = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
DEADLINE = 20.0
ETHER = 10**18


def feed_address(number: int) -> str:
    """A Chainlink feed address on devchain (any address can hold one)."""
    return "0x" + "fe" * 18 + f"{number:04x}"


def iso(seconds: int) -> str:
    """How the server writes a whole-second time: ISO-8601 UTC with milliseconds."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


# --- devchain ---------------------------------------------------------------------------


def make_token(devchain: DevChain, symbol: str, decimals: int, chain: str = "ethereum") -> str:
    return devchain.control("token", {"chain": chain, "symbol": symbol, "decimals": decimals})["address"]


def set_balance(devchain: DevChain, owner: str, token: str | None, raw: int, chain: str = "ethereum") -> None:
    devchain.control("balance", {"chain": chain, "address": owner, "token": token, "amount": str(raw)})


def set_coin(devchain: DevChain, coin: str, usd: str, updated_at: int | None = None) -> None:
    body = {"coin": coin, "usd": usd}
    if updated_at is not None:
        body["updated_at"] = updated_at
    devchain.control("price", body)


def set_token_price(devchain: DevChain, contract: str, usd: str, platform: str = "ethereum") -> None:
    devchain.control("price", {"platform": platform, "contract": contract, "usd": usd})


def set_feed(devchain: DevChain, feed: str, usd: str, updated_at: int | None = None) -> None:
    body = {"chain": "ethereum", "feed": feed, "usd": usd, "decimals": 8}
    if updated_at is not None:
        body["updated_at"] = updated_at
    devchain.control("price", body)


def fault(devchain: DevChain, kind: str, chain: str = "coingecko") -> None:
    devchain.control("fault", {"chain": chain, "kind": kind})


def coingecko_stats(devchain: DevChain) -> dict:
    return requests.get(f"{devchain.base}/control/stats", timeout=5).json()["coingecko"]


# --- the server ---------------------------------------------------------------------------


def price_environment(devchain: DevChain, **extra: str) -> dict[str, str]:
    settings = {
        "PRICES_SOURCES": "coingecko,chainlink,fixed",
        "COINGECKO_API_URL": f"{devchain.base}/coingecko/api/v3",
        # The public API's pace (10 a minute) would hold refreshes back for seconds.
        "COINGECKO_REQUESTS_PER_MINUTE": "0",
        "PRICES_REFRESH_INTERVAL": "0.3",
        # No shipped mainnet feeds: each test names the feeds it reads.
        "ETHEREUM_PRICE_FEEDS": "",
        "ETHEREUM_POLL_INTERVAL": "0.1",
        "SOLANA_ENABLED": "false",
    }
    settings.update(extra)
    return chain_environment(devchain, **settings)


def track(server, *tokens: str, chain: str = "ethereum") -> None:
    for token in tokens:
        response = requests.post(server.url("/api/v1/tokens"), json={"chain": chain, "address": token}, timeout=10)
        assert response.status_code == 201, response.text


def get(server, path: str, **params) -> dict:
    response = requests.get(server.url(path), params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def wallet_balances(server, wallet_id: str) -> dict:
    return get(server, f"/api/v1/wallets/{wallet_id}/balances")


def by_asset(entries: list[dict]) -> dict[str, dict]:
    return {entry["asset"]: entry for entry in entries}


def wait_for(fetch, accept, what: str, timeout: float = DEADLINE):
    """Calls `fetch` until `accept` takes its answer; fails naming `what` and the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if accept(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s; last seen: {json.dumps(value, indent=1)[:3000]}")
        time.sleep(0.05)


def wait_priced(server, wallet_id: str, expected: dict[str, tuple[str | None, str | None]]) -> dict:
    """The wallet's balances once each named asset shows (price, price_source) as expected."""
    def accept(body):
        assets = by_asset(body["balances"])
        return all(
            name in assets and (assets[name]["price"], assets[name]["price_source"]) == want
            for name, want in expected.items()
        )
    return wait_for(lambda: wallet_balances(server, wallet_id), accept, f"prices {expected}")


def refreshes(server, count: int) -> None:
    """Waits until `count` more price refreshes have finished (health's `last_refresh`)."""
    seen = get(server, "/api/v1/health")["prices"]["last_refresh"]
    for _ in range(count):
        seen = wait_for(lambda: get(server, "/api/v1/health")["prices"]["last_refresh"],
                        lambda value, before=seen: value != before, "a price refresh")


@contextlib.contextmanager
def subscribe(server, topic: str, **resume):
    """A connection following `topic` (from `since`/`epoch` when given)."""
    with connect(server.ws_url, open_timeout=10) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": topic, **resume}))
        yield ws


def next_value(ws) -> dict:
    return receive_until(ws, lambda frame: frame["type"] == "value", timeout=DEADLINE)


# --- 1. every source through real HTTP ---------------------------------------------------


def test_each_source_prices_what_it_knows_and_the_rest_is_unpriced(server_factory, devchain):
    now = int(time.time())
    feed = feed_address(1)
    a = make_token(devchain, "AAA", 6)
    b = make_token(devchain, "BBB", 18)
    c = make_token(devchain, "CCC", 8)
    set_balance(devchain, WALLET, None, 3 * ETHER // 2)              # 1.5 ETH
    set_balance(devchain, WALLET, a, 2_505_000)                      # 2.505 AAA
    set_balance(devchain, WALLET, b, 333_333_333_333_333_333)        # 0.333333333333333333 BBB
    set_balance(devchain, WALLET, c, 100_000_000)                    # 1 CCC
    set_coin(devchain, "ethereum", "3000.5", updated_at=now - 60)     # CoinGecko knows only ETH
    set_feed(devchain, feed, "1.0001", updated_at=now - 120)          # only a feed knows AAA
    server = server_factory.start(env=price_environment(
        devchain, ETHEREUM_PRICE_FEEDS=f"{a}={feed}", PRICES_FIXED=f"ethereum:{b}=2.5"))
    track(server, a, b, c)
    wallet = add_wallet(server, WALLET)

    body = wait_priced(server, wallet["id"], {
        "ETH": ("3000.5", "coingecko"), "AAA": ("1.0001", "chainlink"), "BBB": ("2.5", "fixed"),
        "CCC": (None, None)})
    assets = by_asset(body["balances"])
    # ETH: 1.5 × 3000.5 = 4500.75, at CoinGecko's last_updated_at.
    assert (assets["ETH"]["usd"], assets["ETH"]["price_at"]) == ("4500.75", iso(now - 60))
    # AAA: 2.505 × 1.0001 = 2.5052505 → 2505250.5 micro-dollars, half up → 2.505251; the
    # feed's updatedAt is the price's time.
    assert (assets["AAA"]["usd"], assets["AAA"]["price_at"]) == ("2.505251", iso(now - 120))
    # BBB: 0.333333333333333333 × 2.5 = 0.8333333333333333325 → 833333.33 micro → 0.833333.
    assert assets["BBB"]["usd"] == "0.833333" and assets["BBB"]["price_at"] is not None
    # CCC: no source has it: no value at all, never "0".
    assert (assets["CCC"]["usd"], assets["CCC"]["price_at"], assets["CCC"]["amount"]) == (None, None, "1")
    # The wallet: 4500.75 + 2.505251 + 0.833333 = 4504.088584, one asset unpriced.
    assert (body["usd"], body["unpriced_assets"]) == ("4504.088584", 1)

    portfolio = get(server, "/api/v1/portfolio")
    assert portfolio["value"] == {
        "usd": "4504.088584", "by_chain": {"ethereum": "4504.088584"}, "priced_assets": 3,
        "unpriced_assets": 1, "unpriced": [{"chain": "ethereum", "asset": "CCC", "token": c, "amount": "1"}],
    }
    totals = by_asset(portfolio["totals"])
    assert {name: (t["usd"], t["price"], t["price_source"]) for name, t in totals.items()} == {
        "ETH": ("4500.75", "3000.5", "coingecko"), "AAA": ("2.505251", "1.0001", "chainlink"),
        "BBB": ("0.833333", "2.5", "fixed"), "CCC": (None, None, None)}

    health = get(server, "/api/v1/health")["prices"]
    assert (health["assets_held"], health["assets_priced"]) == (4, 3), health
    assert health["last_refresh"] is not None and health["requests"] >= 1, health


# --- 2. fallback order ----------------------------------------------------------------------


def test_a_failing_coingecko_falls_back_to_the_feed_and_is_left_alone(server_factory, devchain):
    feed = feed_address(2)
    set_balance(devchain, WALLET, None, 2 * ETHER)
    set_coin(devchain, "ethereum", "3000.5")
    set_feed(devchain, feed, "2999.25")
    server = server_factory.start(env=price_environment(devchain, ETHEREUM_PRICE_FEEDS=f"ETH={feed}@3600"))
    wallet = add_wallet(server, WALLET)

    # Both know ETH; CoinGecko comes first: 2 × 3000.5 = 6001.00.
    body = wait_priced(server, wallet["id"], {"ETH": ("3000.5", "coingecko")})
    assert body["usd"] == "6001.00"

    fault(devchain, "500")
    # Every CoinGecko request fails (retried, then the breaker opens): the feed prices ETH,
    # 2 × 2999.25 = 5998.50, and nothing lapses.
    body = wait_priced(server, wallet["id"], {"ETH": ("2999.25", "chainlink")})
    assert (body["usd"], body["unpriced_assets"]) == ("5998.50", 0)
    assert get(server, "/api/v1/portfolio")["value"]["usd"] == "5998.50"

    # CoinGecko answers again, but its breaker keeps it aside for its cool-down (60 s, not
    # configurable): the next refreshes send it nothing and keep the feed's price. Getting
    # CoinGecko back takes that minute, too long for this suite.
    fault(devchain, "none")
    devchain.control("reset-stats", {})
    refreshes(server, 3)
    assert coingecko_stats(devchain)["http_requests"] == 0
    body = wallet_balances(server, wallet["id"])
    assert (by_asset(body["balances"])["ETH"]["price_source"], body["usd"]) == ("chainlink", "5998.50")


# --- 3. stale and impossible feed answers ---------------------------------------------------


def test_stale_zero_and_negative_feed_answers_are_not_used(server_factory, devchain):
    now = int(time.time())
    eth_feed, a_feed, g_feed, z_feed, n_feed = (feed_address(n) for n in range(10, 15))
    a = make_token(devchain, "AAA", 6)
    g = make_token(devchain, "GGG", 18)
    z = make_token(devchain, "ZZZ", 6)
    n = make_token(devchain, "NNN", 6)
    set_balance(devchain, WALLET, None, ETHER)        # 1 ETH
    for token in (a, z, n):
        set_balance(devchain, WALLET, token, 5_000_000)  # 5 each
    set_balance(devchain, WALLET, g, 10 * ETHER)      # 10 GGG
    set_feed(devchain, eth_feed, "3000", updated_at=now - 7200)  # 2 h old, its heartbeat is 1 h
    set_feed(devchain, a_feed, "1.25", updated_at=now - 1000)    # older than PRICES_MAX_AGE=600
    set_feed(devchain, g_feed, "0.5", updated_at=now - 3000)     # within its own 3600 s
    set_feed(devchain, z_feed, "0")
    set_feed(devchain, n_feed, "-1")
    server = server_factory.start(env=price_environment(
        devchain, PRICES_SOURCES="chainlink,fixed", PRICES_MAX_AGE="600",
        ETHEREUM_PRICE_FEEDS=f"ETH={eth_feed}@3600,{a}={a_feed},{g}={g_feed}@3600,{z}={z_feed},{n}={n_feed}",
        PRICES_FIXED="ethereum:native=2000"))
    track(server, a, g, z, n)
    wallet = add_wallet(server, WALLET)

    # ETH's feed is stale: the next source (fixed, 2000) prices it. GGG's feed is fresh enough
    # for its own max age: 10 × 0.5 = 5.00. AAA (stale under the global max age), ZZZ (0) and
    # NNN (-1) have nothing else: unpriced.
    body = wait_priced(server, wallet["id"], {
        "ETH": ("2000", "fixed"), "GGG": ("0.5", "chainlink"),
        "AAA": (None, None), "ZZZ": (None, None), "NNN": (None, None)})
    # Several refreshes later it is still so: the refusals are not a matter of timing.
    refreshes(server, 3)
    body = wallet_balances(server, wallet["id"])
    assets = by_asset(body["balances"])
    assert {k: (v["price"], v["price_source"], v["usd"]) for k, v in assets.items()} == {
        "ETH": ("2000", "fixed", "2000.00"), "GGG": ("0.5", "chainlink", "5.00"),
        "AAA": (None, None, None), "ZZZ": (None, None, None), "NNN": (None, None, None)}
    assert assets["GGG"]["price_at"] == iso(now - 3000)
    # 2000.00 + 5.00 = 2005.00, three assets unpriced.
    assert (body["usd"], body["unpriced_assets"]) == ("2005.00", 3)
    unpriced = get(server, "/api/v1/portfolio")["value"]["unpriced"]
    assert sorted(entry["asset"] for entry in unpriced) == ["AAA", "NNN", "ZZZ"]

    # Fresh answers are used at once: ETH's feed updated now (3100), ZZZ's feed set to 2.
    set_feed(devchain, eth_feed, "3100")
    set_feed(devchain, z_feed, "2")
    body = wait_priced(server, wallet["id"], {"ETH": ("3100", "chainlink"), "ZZZ": ("2", "chainlink")})
    # 3100.00 + 5.00 + 5 × 2 = 3115.00; AAA and NNN still unpriced.
    assert (body["usd"], body["unpriced_assets"]) == ("3115.00", 2)


# --- 4. a price no source confirms lapses ---------------------------------------------------


def test_a_price_no_source_confirms_lapses_and_subscribers_are_told(server_factory, devchain):
    feed = feed_address(3)
    set_balance(devchain, WALLET, None, 2 * ETHER)
    set_coin(devchain, "ethereum", "3000.5")
    set_feed(devchain, feed, "2999.25")
    # CACHE_TTL=1: a price no source confirmed for max(1 s, 2 × 0.3 s) = 1 s is dropped.
    server = server_factory.start(env=price_environment(
        devchain, PRICES_SOURCES="coingecko,chainlink", ETHEREUM_PRICE_FEEDS=f"ETH={feed}", CACHE_TTL="1"))
    wallet = add_wallet(server, WALLET)
    wait_priced(server, wallet["id"], {"ETH": ("3000.5", "coingecko")})

    with subscribe(server, "portfolio") as portfolio, subscribe(server, f"wallet:{wallet['id']}") as single:
        snapshot = receive(portfolio)
        assert snapshot["type"] == "snapshot" and snapshot["data"]["value"]["usd"] == "6001.00"
        assert receive(single)["data"]["wallet"]["usd"] == "6001.00"

        # Every source fails: the chain's node (so the feed cannot be read), then CoinGecko.
        fault(devchain, "500", chain="ethereum")
        fault(devchain, "malformed")
        frame = next_value(portfolio)
        assert frame["topic"] == "portfolio" and frame["seq"] > snapshot["seq"]
        assert frame["prices"] == [{"chain": "ethereum", "token": None, "old_price": "3000.5", "price": None,
                                    "price_source": None, "price_at": None}]
        [eth] = frame["totals"]
        assert (eth["usd"], eth["price"], eth["amount"]) == (None, None, "2")
        # Nothing held is priced any more: the total is unknown, not zero; ETH is listed as unpriced.
        assert frame["value"]["usd"] is None and frame["value"]["priced_assets"] == 0
        assert frame["value"]["unpriced"] == [{"chain": "ethereum", "asset": "ETH", "token": None, "amount": "2"}]

        mine = next_value(single)
        assert mine["seq"] == frame["seq"] and mine["prices"] == frame["prices"]
        assert (mine["usd"], mine["unpriced_assets"]) == (None, 1)
        assert (mine["balances"][0]["usd"], mine["balances"][0]["price"]) == (None, None)

    body = wallet_balances(server, wallet["id"])
    assert (body["balances"][0]["usd"], body["balances"][0]["price_source"], body["unpriced_assets"]) == (None, None, 1)
    value = get(server, "/api/v1/portfolio")["value"]
    assert (value["unpriced_assets"], value["priced_assets"]) == (1, 0)


# --- 5. price moves reach subscribers ---------------------------------------------------------


def test_price_moves_past_the_threshold_are_pushed_and_smaller_ones_only_stored(server_factory, devchain):
    a = make_token(devchain, "AAA", 6)
    set_balance(devchain, WALLET, None, 3 * ETHER // 2)   # W1: 1.5 ETH and 250 AAA
    set_balance(devchain, WALLET, a, 250_000_000)
    set_balance(devchain, OTHER, a, 40_000_000)           # W2: 40 AAA only
    set_coin(devchain, "ethereum", "3000.5")
    set_token_price(devchain, a, "0.9999")
    server = server_factory.start(env=price_environment(devchain))
    track(server, a)
    w1 = add_wallet(server, WALLET)
    w2 = add_wallet(server, OTHER)
    wait_priced(server, w1["id"], {"ETH": ("3000.5", "coingecko"), "AAA": ("0.9999", "coingecko")})
    wait_priced(server, w2["id"], {"AAA": ("0.9999", "coingecko")})

    with subscribe(server, "portfolio") as portfolio, subscribe(server, f"wallet:{w1['id']}") as one, \
            subscribe(server, f"wallet:{w2['id']}") as two:
        snapshot = receive(portfolio)
        # 1.5 × 3000.5 = 4500.75; 250 × 0.9999 = 249.975; 40 × 0.9999 = 39.996; sum 4790.721.
        assert snapshot["data"]["value"]["usd"] == "4790.721"
        assert {w["id"]: w["usd"] for w in snapshot["data"]["wallets"]} == {w1["id"]: "4750.725", w2["id"]: "39.996"}
        assert receive(one)["type"] == "snapshot" and receive(two)["type"] == "snapshot"

        # +10 %: 3000.5 × 1.1 = 3300.55.
        set_coin(devchain, "ethereum", "3300.55")
        frame = next_value(portfolio)
        assert frame["seq"] > snapshot["seq"]
        [move] = frame["prices"]
        assert (move["token"], move["old_price"], move["price"], move["price_source"]) == (
            None, "3000.5", "3300.55", "coingecko")
        totals = by_asset(frame["totals"])
        # ETH 1.5 × 3300.55 = 4950.825; AAA 249.975 + 39.996 = 289.971; sum 5240.796.
        assert (totals["ETH"]["usd"], totals["AAA"]["usd"]) == ("4950.825", "289.971")
        assert frame["value"]["usd"] == "5240.796" and frame["value"]["by_chain"] == {"ethereum": "5240.796"}
        mine = next_value(one)
        # W1: 4950.825 + 249.975 = 5200.80.
        assert (mine["topic"], mine["seq"], mine["usd"], mine["unpriced_assets"]) == (
            f"wallet:{w1['id']}", frame["seq"], "5200.80", 0)
        assert by_asset(mine["balances"])["ETH"]["usd"] == "4950.825"

        # 3300.55 → 3310: 9.45 / 3300.55 = 0.286 % < 0.5 %: stored and shown, not pushed.
        set_coin(devchain, "ethereum", "3310")
        body = wait_priced(server, w1["id"], {"ETH": ("3310", "coingecko")})
        assert body["usd"] == "5214.975"  # 1.5 × 3310 = 4965 + 249.975
        assert get(server, "/api/v1/portfolio")["value"]["usd"] == "5254.971"  # 4965 + 289.971

        # 3310 → 3318 is 0.24 %, but 17.45 / 3300.55 = 0.529 % from the price last pushed: pushed.
        # Being the next value frame proves 3310 was not pushed.
        set_coin(devchain, "ethereum", "3318")
        frame = next_value(portfolio)
        [move] = frame["prices"]
        assert (move["old_price"], move["price"]) == ("3310", "3318")
        # 1.5 × 3318 = 4977 + 289.971 = 5266.971.
        assert frame["value"]["usd"] == "5266.971"
        assert next_value(one)["usd"] == "5226.975"  # 4977 + 249.975

        # AAA +5 %: W2, which holds AAA, is told; 40 × 1.05 = 42.00.
        set_token_price(devchain, a, "1.05")
        frame = receive_until(two, lambda f: f["type"] == "value" and f["prices"][0]["token"] == a, DEADLINE)
        assert [(m["token"], m["old_price"], m["price"]) for m in frame["prices"]] == [(a, "0.9999", "1.05")]
        assert (frame["usd"], by_asset(frame["balances"])["AAA"]["usd"]) == ("42.00", "42.00")
        # Portfolio: 4977 + 290 × 1.05 = 4977 + 304.5 = 5281.50.
        assert next_value(portfolio)["value"]["usd"] == "5281.50"


def test_a_wallet_holding_none_of_a_moved_asset_gets_no_value_frame(server_factory, devchain):
    a = make_token(devchain, "AAA", 6)
    set_balance(devchain, WALLET, None, ETHER)       # W1: 1 ETH
    set_balance(devchain, OTHER, a, 40_000_000)      # W2: 40 AAA, no ETH
    set_coin(devchain, "ethereum", "3000.5")
    set_token_price(devchain, a, "0.9999")
    server = server_factory.start(env=price_environment(devchain))
    track(server, a)
    w1 = add_wallet(server, WALLET)
    w2 = add_wallet(server, OTHER)
    wait_priced(server, w1["id"], {"ETH": ("3000.5", "coingecko")})
    body = wait_priced(server, w2["id"], {"AAA": ("0.9999", "coingecko")})
    assert by_asset(body["balances"])["ETH"]["raw"] == "0"  # a row, holding nothing
    with subscribe(server, f"wallet:{w2['id']}") as two:
        assert receive(two)["type"] == "snapshot"
        set_coin(devchain, "ethereum", "3300.55")        # +10 %: pushed, W2 holds no ETH
        wait_priced(server, w1["id"], {"ETH": ("3300.55", "coingecko")})
        set_token_price(devchain, a, "1.05")             # +5 %: pushed, W2 holds AAA
        frame = next_value(two)
        assert [(m["token"], m["price"]) for m in frame["prices"]] == [(a, "1.05")], frame["prices"]


def test_a_new_holding_is_priced_without_waiting_for_the_interval(server_factory, devchain):
    a = make_token(devchain, "AAA", 6)
    set_balance(devchain, WALLET, None, ETHER)
    set_coin(devchain, "ethereum", "3000.5")
    set_token_price(devchain, a, "2.5")
    # A refresh interval far longer than the test: only the new holding can trigger one.
    server = server_factory.start(env=price_environment(devchain, PRICES_REFRESH_INTERVAL="120"))
    track(server, a)
    wallet = add_wallet(server, WALLET)
    wait_priced(server, wallet["id"], {"ETH": ("3000.5", "coingecko")})
    with subscribe(server, "portfolio") as portfolio:
        receive(portfolio)
        set_balance(devchain, WALLET, a, 4_000_000)  # 4 AAA
        diff = receive_until(portfolio, lambda f: f["type"] == "diff", timeout=DEADLINE)
        [change] = diff["changes"]
        # No price when the change happened: no value, never 0.
        assert (change["asset"], change["new"], change["usd"], change["usd_delta"]) == ("AAA", "4", None, None)
        frame = next_value(portfolio)
        assert [(m["token"], m["old_price"], m["price"]) for m in frame["prices"]] == [(a, None, "2.5")]
        # 3000.5 + 4 × 2.5 = 3010.50.
        assert frame["value"]["usd"] == "3010.50" and frame["seq"] > diff["seq"]


# --- 6. resuming after missed price moves --------------------------------------------------------


def test_a_resume_after_missed_price_moves_gets_one_value_frame_before_resumed(server_factory, devchain):
    set_balance(devchain, WALLET, None, 2 * ETHER)
    set_coin(devchain, "ethereum", "3000.5")
    server = server_factory.start(env=price_environment(devchain))
    wallet = add_wallet(server, WALLET)
    topic = f"wallet:{wallet['id']}"
    wait_priced(server, wallet["id"], {"ETH": ("3000.5", "coingecko")})
    with subscribe(server, "portfolio") as portfolio, subscribe(server, topic) as single:
        seen = {"portfolio": receive(portfolio), topic: receive(single)}
    epoch = seen["portfolio"]["epoch"]
    assert seen["portfolio"]["data"]["value"]["usd"] == "6001.00"

    # Nothing missed: no value frame, `resumed` at once.
    with subscribe(server, "portfolio", since=seen["portfolio"]["seq"], epoch=epoch) as ws:
        frame = receive(ws)
        assert (frame["type"], frame["replayed"]) == ("resumed", 0), frame

    # +10 % while away: 3300.55; then 3301 (0.014 %, stored but not pushed).
    set_coin(devchain, "ethereum", "3300.55")
    wait_priced(server, wallet["id"], {"ETH": ("3300.55", "coingecko")})
    set_coin(devchain, "ethereum", "3301")
    wait_priced(server, wallet["id"], {"ETH": ("3301", "coingecko")})

    for name in ("portfolio", topic):
        since = seen[name]["seq"]
        with subscribe(server, name, since=since, epoch=epoch) as ws:
            value = receive(ws, DEADLINE)
            resumed = receive(ws, DEADLINE)
        assert (value["type"], value["topic"], resumed["type"]) == ("value", name, "resumed"), (value, resumed)
        assert since < value["seq"] <= resumed["seq"]
        # What the topic is worth now, at the current price: 2 × 3301 = 6602.00.
        assert value["prices"] == [{"chain": "ethereum", "token": None, "old_price": None, "price": "3301",
                                    "price_source": "coingecko", "price_at": value["prices"][0]["price_at"]}]
        if name == "portfolio":
            assert value["value"]["usd"] == "6602.00" and value["totals"][0]["usd"] == "6602.00"
        else:
            assert (value["usd"], value["balances"][0]["usd"], value["unpriced_assets"]) == ("6602.00", "6602.00", 0)


def test_a_resumed_value_frame_keeps_the_topic_in_seq_order(server_factory, devchain):
    set_balance(devchain, WALLET, None, 2 * ETHER)
    set_coin(devchain, "ethereum", "3000.5")
    server = server_factory.start(env=price_environment(devchain))
    wallet = add_wallet(server, WALLET)
    wait_priced(server, wallet["id"], {"ETH": ("3000.5", "coingecko")})
    with subscribe(server, "portfolio") as ws:
        snapshot = receive(ws)
    # Away: the price moves 10 % (one seq), then the balance changes (the next seq).
    set_coin(devchain, "ethereum", "3300.55")
    wait_priced(server, wallet["id"], {"ETH": ("3300.55", "coingecko")})
    set_balance(devchain, WALLET, None, 3 * ETHER)
    wait_for(lambda: wallet_balances(server, wallet["id"]), lambda b: b["balances"][0]["amount"] == "3", "3 ETH")

    with subscribe(server, "portfolio", since=snapshot["seq"], epoch=snapshot["epoch"]) as ws:
        frames = [receive(ws, DEADLINE)]
        while frames[-1]["type"] != "resumed":
            frames.append(receive(ws, DEADLINE))
    assert [f["type"] for f in frames] == ["diff", "value", "resumed"]
    # The value frame shows the present: 3 × 3300.55 = 9901.65.
    assert frames[1]["value"]["usd"] == "9901.65"
    seqs = [f["seq"] for f in frames]
    assert seqs == sorted(seqs), f"frame seqs in the order sent: {seqs}"


# --- 7. value history -----------------------------------------------------------------------------


def test_history_values_changes_at_their_price_and_ends_at_the_current_value(server_factory, devchain):
    c = make_token(devchain, "CCC", 8)
    set_balance(devchain, WALLET, None, 3 * ETHER // 2)   # 1.5 ETH
    set_balance(devchain, WALLET, c, 700_000_000)        # 7 CCC, priced nowhere
    set_coin(devchain, "ethereum", "3000.5")
    server = server_factory.start(env=price_environment(devchain))
    track(server, c)
    wallet = add_wallet(server, WALLET)
    wait_priced(server, wallet["id"], {"ETH": ("3000.5", "coingecko"), "CCC": (None, None)})

    def eth_amount(amount):
        return lambda body: by_asset(body["balances"])["ETH"]["amount"] == amount

    set_balance(devchain, WALLET, None, 2 * ETHER)        # 1.5 → 2 at 3000.5
    wait_for(lambda: wallet_balances(server, wallet["id"]), eth_amount("2"), "2 ETH")
    set_coin(devchain, "ethereum", "3300.55")
    wait_priced(server, wallet["id"], {"ETH": ("3300.55", "coingecko")})
    set_balance(devchain, WALLET, None, 5 * ETHER // 2)   # 2 → 2.5 at 3300.55
    wait_for(lambda: wallet_balances(server, wallet["id"]), eth_amount("2.5"), "2.5 ETH")

    changes = get(server, f"/api/v1/wallets/{wallet['id']}/history")["changes"]
    eth = [(ch["old"], ch["new"], ch["price"], ch["usd"], ch["usd_delta"]) for ch in changes if ch["asset"] == "ETH"]
    assert eth == [
        # 2.5 × 3300.55 = 8251.375; 2 × 3300.55 = 6601.10; delta 1650.275.
        ("2", "2.5", "3300.55", "8251.375", "1650.275"),
        # 2 × 3000.5 = 6001.00; 1.5 × 3000.5 = 4500.75; delta 1500.25.
        ("1.5", "2", "3000.5", "6001.00", "1500.25"),
        # The first read came before ETH had any price.
        ("0", "1.5", None, None, None),
    ]
    [ccc] = [ch for ch in changes if ch["asset"] == "CCC"]
    assert (ccc["new"], ccc["usd"], ccc["price"]) == ("7", None, None)

    portfolio = get(server, "/api/v1/portfolio")
    assert (portfolio["value"]["usd"], portfolio["value"]["unpriced_assets"]) == ("8251.375", 1)
    now = time.time()
    history = get(server, "/api/v1/portfolio/history", interval="hour", **{"from": str(int(now - 7200)), "to": str(int(now))})
    # Two hours back, hourly: the bucket holding `from`, the next one, and the current hour.
    assert len(history["totals"]) == 3
    assert history["totals"][0] == {"t": history["totals"][0]["t"], "unpriced_assets": 0, "usd": "0.00"}
    assert history["totals"][-1] == {"t": history["totals"][-1]["t"], "unpriced_assets": 1, "usd": "8251.375"}
    series = {s["asset"]: s for s in history["series"]}
    last_eth = series["ETH"]["points"][-1]
    assert (last_eth["amount"], last_eth["price"], last_eth["usd"]) == ("2.5", "3300.55", "8251.375")
    last_ccc = series["CCC"]["points"][-1]
    assert (last_ccc["amount"], last_ccc["price"], last_ccc["usd"]) == ("7", None, None)


def test_history_ends_at_the_current_value_when_wallets_share_an_asset(server_factory, devchain):
    u = make_token(devchain, "USDX", 6)
    set_balance(devchain, WALLET, u, 1_234_567)
    set_balance(devchain, OTHER, u, 7_654_321)
    set_token_price(devchain, u, "0.9999")
    server = server_factory.start(env=price_environment(devchain))
    track(server, u)
    w1 = add_wallet(server, WALLET)
    w2 = add_wallet(server, OTHER)
    wait_priced(server, w1["id"], {"USDX": ("0.9999", "coingecko")})
    wait_priced(server, w2["id"], {"USDX": ("0.9999", "coingecko")})
    # Each wallet values its own amount: 1.234567 × 0.9999 = 1.2344435433 → 1.234444 and
    # 7.654321 × 0.9999 = 7.6535555679 → 7.653556. Across wallets the asset's sum is valued once:
    # 8.888888 × 0.9999 = 8.8879991112 → 8.887999, in the totals, the portfolio and the history alike.
    assert wallet_balances(server, w1["id"])["usd"] == "1.234444"
    assert wallet_balances(server, w2["id"])["usd"] == "7.653556"
    portfolio = get(server, "/api/v1/portfolio")
    assert portfolio["value"]["usd"] == "8.887999"
    # ETH is held by neither wallet and has no price here.
    assert [t["usd"] for t in portfolio["totals"]] == [None, "8.887999"]
    now = time.time()
    history = get(server, "/api/v1/portfolio/history", interval="hour", **{"from": str(int(now - 7200)), "to": str(int(now))})
    assert history["totals"][-1]["usd"] == "8.887999"
    usdx = next(s for s in history["series"] if s["asset"] == "USDX")
    assert usdx["points"][-1]["usd"] == "8.887999"


# --- 8. the CoinGecko key -----------------------------------------------------------------------


def test_a_coingecko_key_is_sent_and_without_it_prices_fall_through(server_factory, devchain):
    set_balance(devchain, WALLET, None, 2 * ETHER)
    set_coin(devchain, "ethereum", "3000.5")
    devchain.control("coingecko", {"api_key": "K"})
    settings = {"PRICES_SOURCES": "coingecko,fixed", "PRICES_FIXED": "ethereum:native=2000"}
    servers = {
        "none": server_factory.spawn(env=price_environment(devchain, **settings)),
        "right": server_factory.spawn(env=price_environment(devchain, COINGECKO_API_KEY="K", **settings)),
        "wrong": server_factory.spawn(env=price_environment(devchain, COINGECKO_API_KEY="X", **settings)),
    }
    wallets = {name: add_wallet(server.wait_listening(), WALLET)["id"] for name, server in servers.items()}
    # Without the key (401) or with a wrong one, CoinGecko prices nothing: the fixed 2000 does,
    # 2 × 2000 = 4000.00. With K (sent as x-cg-demo-api-key): 2 × 3000.5 = 6001.00.
    expected = {"none": ("2000", "fixed", "4000.00"), "right": ("3000.5", "coingecko", "6001.00"),
                "wrong": ("2000", "fixed", "4000.00")}
    for name, (price, source, usd) in expected.items():
        body = wait_priced(servers[name], wallets[name], {"ETH": (price, source)})
        assert body["usd"] == usd, name
    # The server with the key keeps getting prices: a move reaches it.
    set_coin(devchain, "ethereum", "3100")
    body = wait_priced(servers["right"], wallets["right"], {"ETH": ("3100", "coingecko")})
    assert body["usd"] == "6200.00"


# --- 9. request economy -----------------------------------------------------------------------------


def test_a_refresh_of_thirty_tokens_costs_a_few_requests(server_factory, devchain):
    max_url = 512
    eth_tokens = [make_token(devchain, f"E{i}", 18) for i in range(20)]
    mints = [make_token(devchain, f"S{i}", 6, chain="solana") for i in range(10)]
    eth_owners = [WALLET, OTHER, THIRD]
    sol_owners = [random_solana_address(), random_solana_address()]
    # Overlapping holdings: several wallets hold the same token, asked for once.
    eth_holdings = {WALLET: eth_tokens[0:10], OTHER: eth_tokens[5:15], THIRD: eth_tokens[10:20]}
    sol_holdings = {sol_owners[0]: mints[0:7], sol_owners[1]: mints[3:10]}
    for owner, tokens in eth_holdings.items():
        for token in tokens:
            set_balance(devchain, owner, token, 10**18)
    for owner, tokens in sol_holdings.items():
        for mint in tokens:
            set_balance(devchain, owner, mint, 1_000_000, chain="solana")
    set_balance(devchain, WALLET, None, ETHER)
    set_balance(devchain, sol_owners[0], None, 10**9, chain="solana")
    set_coin(devchain, "ethereum", "3000.5")
    set_coin(devchain, "solana", "150.25")
    for i, token in enumerate(eth_tokens):
        set_token_price(devchain, token, f"{i + 1}.5")
    for i, mint in enumerate(mints):
        set_token_price(devchain, mint, f"0.{i + 1}", platform="solana")
    server = server_factory.start(env=price_environment(
        devchain, PRICES_SOURCES="coingecko", PRICES_REFRESH_INTERVAL="2", COINGECKO_MAX_URL_LENGTH=str(max_url),
        SOLANA_ENABLED="true", SOLANA_POLL_INTERVAL="0.1"))
    track(server, *eth_tokens)
    track(server, *mints, chain="solana")
    for owner in eth_owners:
        add_wallet(server, owner)
    for owner in sol_owners:
        add_wallet(server, owner, chain="solana")

    # ETH, SOL, 20 ERC-20 tokens and 10 mints are held: 32 assets, all priced.
    held = 2 + len(eth_tokens) + len(mints)
    wait_for(lambda: get(server, "/api/v1/health")["prices"],
             lambda p: (p["assets_held"], p["assets_priced"]) == (held, held), f"{held} assets priced")
    assert get(server, "/api/v1/portfolio")["value"]["unpriced_assets"] == 0

    # One whole refresh after the counters are reset.
    refreshes(server, 1)
    devchain.control("reset-stats", {})
    refreshes(server, 1)
    stats = coingecko_stats(devchain)
    # The bound: one simple/price request for both coin ids, and per platform the token lists
    # cut to fit the URL. A URL is prefix + addresses joined by commas + suffix; the room left
    # for the addresses is max_url - len(prefix) - len(suffix). Addresses of L characters fit
    # k = (room + 1) // (L + 1) to a request (every request but the last is at least that full),
    # so a platform with n tokens needs at most ceil(n / k) requests: EVM addresses have 42
    # characters, base58 mints at most 44.
    api = f"{devchain.base}/coingecko/api/v3"
    suffix = "&vs_currencies=usd&include_last_updated_at=true"

    def requests_for(platform: str, n: int, length: int) -> int:
        room = max_url - len(f"{api}/simple/token_price/{platform}?contract_addresses=") - len(suffix)
        return math.ceil(n / ((room + 1) // (length + 1)))

    bound = 1 + requests_for("ethereum", len(eth_tokens), 42) + requests_for("solana", len(mints), 44)
    print(f"one refresh of {held} assets: {stats['http_requests']} CoinGecko requests (bound {bound}), {stats}")
    # With a devchain on a 5-digit port: 1 + ceil(20 / 8) + ceil(10 / 8) = 6 (32 one per asset).
    assert stats["calls"].get("simple/price") == 1, stats
    assert stats["http_requests"] <= bound, (stats, bound)
    assert stats["assets_asked"] == held, stats
    assert get(server, "/api/v1/health")["prices"]["requests"] == stats["http_requests"]
