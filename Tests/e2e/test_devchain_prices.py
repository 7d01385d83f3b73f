"""The devchain binary's prices: `--demo` seeds CoinGecko prices and Chainlink feeds, then moves them."""

import re
import subprocess
import time
from decimal import Decimal

import pytest
import requests

from conftest import SERVER_BIN

DEVCHAIN_BIN = SERVER_BIN.with_name("devchain")
ETH_USD_FEED = "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"
USDC_USD_FEED = "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"
USDC = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
LATEST_ROUND_DATA = "0xfeaf968c"


@pytest.fixture
def demo():
    if not DEVCHAIN_BIN.exists():
        pytest.fail(f"devchain binary not found next to the server: {DEVCHAIN_BIN}")
    proc = subprocess.Popen(
        [str(DEVCHAIN_BIN), "--port", "0", "--demo", "--demo-interval", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
    )
    lines = [proc.stdout.readline() for _ in range(4)]
    match = re.search(r"http://127\.0\.0\.1:(\d+)", lines[0])
    assert match, f"devchain printed {lines!r}"
    mint = re.search(r"USDC mint (\w+)", "".join(lines))
    assert mint, f"devchain printed {lines!r}"
    yield f"http://127.0.0.1:{match.group(1)}", mint.group(1)
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def feed_round(base: str, feed: str) -> tuple[int, int]:
    """(roundId, answer) of a feed's latestRoundData, decoded by hand from the ABI words."""
    body = {"jsonrpc": "2.0", "id": 1, "method": "eth_call",
            "params": [{"to": feed, "data": LATEST_ROUND_DATA}, "latest"]}
    result = requests.post(f"{base}/ethereum", json=body, timeout=5).json()["result"]
    words = [result[2 + 64 * i: 2 + 64 * (i + 1)] for i in range(5)]
    return int(words[0], 16), int(words[1], 16)


def test_the_demo_prices_its_coins_tokens_and_feeds_and_moves_them(demo):
    base, mint = demo
    api = f"{base}/coingecko/api/v3"
    coins = requests.get(f"{api}/simple/price", params={"ids": "ethereum,solana", "vs_currencies": "usd"},
                         timeout=5)
    assert coins.status_code == 200, coins.text
    prices = coins.json(parse_float=Decimal)
    assert Decimal(1000) < prices["ethereum"]["usd"] < Decimal(10000)
    assert Decimal(50) < prices["solana"]["usd"] < Decimal(500)

    usdc = requests.get(f"{api}/simple/token_price/ethereum",
                        params={"contract_addresses": USDC, "vs_currencies": "usd"}, timeout=5).json()
    assert abs(usdc[USDC.lower()]["usd"] - 1) < 0.05
    sol_usdc = requests.get(f"{api}/simple/token_price/solana",
                            params={"contract_addresses": mint, "vs_currencies": "usd"}, timeout=5).json()
    assert abs(sol_usdc[mint]["usd"] - 1) < 0.05

    first_round, eth_answer = feed_round(base, ETH_USD_FEED)
    assert 1000 * 10**8 < eth_answer < 10000 * 10**8
    _, usdc_answer = feed_round(base, USDC_USD_FEED)
    assert abs(usdc_answer - 10**8) < 5 * 10**6

    deadline = time.monotonic() + 10
    while feed_round(base, ETH_USD_FEED)[0] == first_round:
        assert time.monotonic() < deadline, "the demo never moved the ETH/USD feed"
        time.sleep(0.1)
