"""The server against the devchain binary: a user's whole flow, and a node on the wrong chain."""

import re
import subprocess
import time

import pytest
import requests

from conftest import SERVER_BIN, base_environment

DEVCHAIN_BIN = SERVER_BIN.with_name("devchain")
WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"


class DevChain:
    def __init__(self, *args: str):
        self.proc = subprocess.Popen(
            [str(DEVCHAIN_BIN), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
        )
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, f"devchain printed {line!r}"
        self.base = f"http://127.0.0.1:{match.group(1)}"

    def control(self, action: str, body: dict) -> dict:
        response = requests.post(f"{self.base}/control/{action}", json=body, timeout=5)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture
def devchain():
    if not DEVCHAIN_BIN.exists():
        pytest.fail(f"devchain binary not found next to the server: {DEVCHAIN_BIN}")
    chain = DevChain()
    yield chain
    chain.stop()


def chain_environment(devchain: DevChain, **extra: str) -> dict[str, str]:
    return base_environment(
        ETHEREUM_RPC_URL=f"{devchain.base}/ethereum", SOLANA_RPC_URL=f"{devchain.base}/solana",
        POLYGON_ENABLED="false", ARBITRUM_ENABLED="false", OPTIMISM_ENABLED="false", BASE_ENABLED="false",
        BSC_ENABLED="false", **extra,
    )


def test_add_fetch_and_read_balances_from_devchain(server_factory, devchain):
    token = devchain.control("token", {"chain": "ethereum", "symbol": "PEPE", "decimals": 18})["address"]
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": None, "amount": "2500000000000000000"})
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": token, "amount": "42"})
    server = server_factory.start(env=chain_environment(devchain))
    added = requests.post(server.url("/api/v1/tokens"), json={"chain": "ethereum", "address": token}, timeout=10)
    assert added.status_code == 201, added.text
    wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": WALLET}, timeout=10).json()
    fetched = requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), timeout=10)
    assert fetched.status_code == 200, fetched.text
    balances = {b["asset"]: b for b in fetched.json()["balances"]}
    assert balances["ETH"]["amount"] == "2.5"
    assert balances["PEPE"]["raw"] == "42"
    assert balances["PEPE"]["amount"] == "0.000000000000000042"
    stored = requests.get(server.url(f"/api/v1/wallets/{wallet['id']}/balances"), timeout=10).json()
    assert stored == fetched.json()


def test_a_node_on_another_chain_stops_the_server(server_factory, devchain):
    # devchain answers chain id 1; the configuration expects 5.
    server = server_factory.spawn(env=chain_environment(devchain, ETHEREUM_CHAIN_ID="5"))
    code = server.wait_exit(15)
    assert code != 0, "the server exited 0 after finding the wrong chain"
    log = server.stderr_text
    assert "chains.ethereum.chain_id is 5" in log and "serves chain id 1" in log, log


# py-evm's default chain id, above 2^31, and the largest id EIP-2294 allows.
PY_EVM_CHAIN_ID = "131277322940537"
EIP_2294_MAX = "9223372036854775771"


@pytest.mark.parametrize("chain_id", [PY_EVM_CHAIN_ID, EIP_2294_MAX])
def test_a_large_chain_id_is_served_and_verified(server_factory, chain_id):
    chain = DevChain("--ethereum-chain-id", chain_id)
    try:
        answer = requests.post(
            f"{chain.base}/ethereum", json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=5
        ).json()
        assert int(answer["result"], 16) == int(chain_id)
        server = server_factory.start(env=chain_environment(chain, ETHEREUM_CHAIN_ID=chain_id))
        deadline = time.monotonic() + 10
        while not (verified := [l for l in server.stderr_lines if "chain verified" in l and "ethereum" in l]):
            assert time.monotonic() < deadline, server.stderr_text
            time.sleep(0.1)
        assert chain_id in verified[0], server.stderr_text
    finally:
        chain.stop()


def test_a_large_chain_id_mismatch_names_both_ids(server_factory):
    chain = DevChain("--ethereum-chain-id", PY_EVM_CHAIN_ID)
    try:
        server = server_factory.spawn(env=chain_environment(chain, ETHEREUM_CHAIN_ID=EIP_2294_MAX))
        assert server.wait_exit(15) != 0
        log = server.stderr_text
        assert f"chains.ethereum.chain_id is {EIP_2294_MAX}" in log and f"serves chain id {PY_EVM_CHAIN_ID}" in log, log
    finally:
        chain.stop()


@pytest.mark.parametrize("chain_id", ["0", "9223372036854775772"])
def test_devchain_refuses_a_chain_id_outside_eip_2294(chain_id):
    result = subprocess.run(
        [str(DEVCHAIN_BIN), "--port", "0", "--ethereum-chain-id", chain_id],
        capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL,
    )
    assert result.returncode != 0
    assert f"--ethereum-chain-id must be from 1 to {EIP_2294_MAX}" in result.stderr, result.stderr
