"""What a newcomer meets first: the one-command demo, and errors a person can act on, each
checked word for word."""

from __future__ import annotations

import json
import re
import socket
import time

import requests
from websockets.sync.client import connect

from conftest import REPO_ROOT, SERVER_BIN, ServerProcess, base_environment

SOLANA_ADDRESS = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"


def failed_start(server_factory, args: list[str], env=None):
    result = server_factory.run(args, env=env or base_environment(), timeout=20)
    return result.returncode, result.stdout, result.stderr.strip().splitlines()


# --- errors at the start -------------------------------------------------------------------------


def test_a_config_error_is_one_line_naming_the_key_and_exits_2(server_factory, tmp_path):
    status, stdout, lines = failed_start(
        server_factory, ["serve", "--database", str(tmp_path / "never.sqlite")],
        base_environment(SERVER_PORT="abc"))
    assert status == 2
    assert lines == ["portfolio-server: configuration key 'server.port': must be a whole number from 0 to 65535, "
                     'got "abc"'], lines
    assert stdout == ""
    assert not (tmp_path / "never.sqlite").exists()


def test_a_database_path_that_is_a_folder_names_the_path_and_the_reason(server_factory, tmp_path):
    status, _, lines = failed_start(server_factory, ["serve", "--port", "0", "--database", str(tmp_path)])
    assert status == 1
    assert lines[-1] == f"portfolio-server: cannot start: cannot use the database {tmp_path}: Is a directory", lines
    assert not any("NSCocoaErrorDomain" in line or "SQLite error" in line for line in lines)


def test_a_database_under_a_file_names_the_file(server_factory, tmp_path):
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder")
    path = blocker / "data" / "p.sqlite"
    status, _, lines = failed_start(server_factory, ["serve", "--port", "0", "--database", str(path)])
    assert status == 1
    assert lines[-1] == (f"portfolio-server: cannot start: cannot use the database {path}: its folder "
                         f"{blocker / 'data'} cannot be made: {blocker} is a file, not a folder"), lines


def test_a_file_that_is_not_a_database_says_so(server_factory, tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list: " * 100)
    status, _, lines = failed_start(server_factory, ["migrate", "--database", str(path)])
    assert status == 1
    assert lines == [f"portfolio-server: cannot start: cannot use the database {path}: file is not a database"]
    assert path.read_text().startswith("shopping list")


def test_a_port_in_use_is_one_line(server_factory, tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        status, _, lines = failed_start(
            server_factory, ["serve", "--port", str(port), "--database", str(tmp_path / "p.sqlite")])
    assert status == 1
    errors = [line for line in lines if " warning " not in line]
    assert errors == [f"portfolio-server: cannot start: cannot listen on 127.0.0.1:{port}: the port is in use by "
                      "another program (Address already in use)"], lines
    assert not any("libwebsockets" in line for line in lines)


def test_an_address_this_machine_lacks_is_one_line(server_factory, tmp_path):
    status, _, lines = failed_start(
        server_factory, ["serve", "--host", "192.0.2.1", "--port", "18999", "--database", str(tmp_path / "p.sqlite"),
                         "--set", "server.auth_required=true"])
    assert status == 1
    assert lines[-1] == ("portfolio-server: cannot start: cannot listen on 192.0.2.1:18999: this machine has no such "
                         "address (Cannot assign requested address)"), lines


# --- errors while it runs ------------------------------------------------------------------------


def test_an_unknown_stream_op_is_named(server):
    with connect(server.ws_url) as ws:
        ws.send('{"op":"dance"}')
        frame = json.loads(ws.recv(timeout=5))
    assert frame["type"] == "error" and frame["code"] == "unknown_op", frame
    assert frame["message"] == 'unknown op "dance"; ops are subscribe, unsubscribe and auth.'


def test_reading_a_wallet_of_a_disabled_chain_says_how_to_enable_it(server_factory, tmp_path):
    database = tmp_path / "p.sqlite"
    first = server_factory.start(database=database)
    wallet = requests.post(first.url("/api/v1/wallets"), json={"chain": "solana", "address": SOLANA_ADDRESS},
                           timeout=10).json()["id"]
    first.stop()
    off = server_factory.start(database=database, env=base_environment(SOLANA_ENABLED="false"))
    answer = requests.post(off.url(f"/api/v1/wallets/{wallet}/fetch"), timeout=10)
    assert answer.status_code == 409, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["chain"] == "solana"
    assert problem["detail"] == ("The solana chain is off on this server, so its wallets are not read. Turn it on "
                                 "with chains.solana.enabled: true in the config file (or SOLANA_ENABLED=true), "
                                 "then restart the server.")


# --- wallets added before a start ----------------------------------------------------------------


def test_wallet_add_before_a_start(server_factory, tmp_path):
    database = str(tmp_path / "p.sqlite")
    added = server_factory.run(["wallet", "add", "--database", database, "--chain", "solana", "--address",
                                SOLANA_ADDRESS, "--label", "cold"])
    assert added.returncode == 0, added.stderr
    again = server_factory.run(["wallet", "add", "--database", database, "--chain", "solana", "--address",
                                SOLANA_ADDRESS])
    assert again.returncode != 0 and "already tracks solana" in again.stderr
    quiet = server_factory.run(["wallet", "add", "--database", database, "--chain", "solana", "--address",
                                SOLANA_ADDRESS, "--if-missing"])
    assert quiet.returncode == 0, quiet.stderr
    bad = server_factory.run(["wallet", "add", "--database", database, "--chain", "ethereum", "--address", "0x12"])
    assert bad.returncode != 0 and "invalid ethereum address" in bad.stderr
    server = server_factory.start(database=database)
    wallets = requests.get(server.url("/api/v1/wallets"), timeout=10).json()["wallets"]
    assert [(w["chain"], w["address"], w["label"]) for w in wallets] == [("solana", SOLANA_ADDRESS, "cold")]


# --- the demo ------------------------------------------------------------------------------------


def test_the_demo_shows_balances_and_a_change_within_10_seconds(tmp_path):
    env = base_environment(PORTFOLIO_BIN_DIR=str(SERVER_BIN.parent),
                           PORTFOLIO_DEMO_DATABASE=str(tmp_path / "demo.sqlite"))
    demo = ServerProcess(["bash", str(REPO_ROOT / "scripts" / "start"), "--demo", "--port", "0"], env)
    try:
        demo.wait_listening(timeout=60)
        started = time.monotonic()
        wallets = requests.get(demo.url("/api/v1/wallets"), timeout=10).json()["wallets"]
        assert sorted(w["chain"] for w in wallets) == ["ethereum", "ethereum", "solana", "solana"]
        health = requests.get(demo.url("/api/v1/health"), timeout=10).json()
        assert sorted(health["chains"]) == ["ethereum", "solana"], health["chains"]
        # Balances and their values appear within seconds of the start.
        priced = []
        while time.monotonic() - started < 10 and len(priced) < 4:
            totals = requests.get(demo.url("/api/v1/portfolio"), timeout=10).json()["totals"]
            priced = sorted((t["chain"], t["asset"]) for t in totals if t["usd"] is not None)
            time.sleep(0.2)
        # The Solana USDC is named by the token list, not by the start of its mint.
        assert priced == [("ethereum", "ETH"), ("ethereum", "USDC"), ("solana", "SOL"), ("solana", "USDC")], totals
        # Then they move: a balance or a price changes within 10 s.
        with connect(demo.ws_url) as ws:
            ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
            watching = time.monotonic()
            changed = None
            while changed is None and time.monotonic() - watching < 10:
                frame = json.loads(ws.recv(timeout=max(0.1, 10 - (time.monotonic() - watching))))
                if frame["type"] in ("diff", "value"):
                    changed = frame
        assert changed is not None, "no change within 10 s"
        node = re.search(r"devchain at (http://[0-9.]+:[0-9]+)", demo.stdout_text).group(1)
        assert requests.get(f"{node}/control/stats", timeout=5).status_code == 200
    finally:
        demo.stop()
    # Stopping the demo stops devchain with the server.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.get(f"{node}/control/stats", timeout=1)
        except requests.ConnectionError:
            break
        time.sleep(0.2)
    else:
        raise AssertionError("devchain still answers after the demo stopped")


# --- chains and their explorers ------------------------------------------------------------------


def test_the_chains_with_their_explorers(server_factory):
    server = server_factory.start(env=base_environment(
        POLYGON_ENABLED="false", ARBITRUM_ENABLED="false", OPTIMISM_ENABLED="false", BSC_ENABLED="false",
        BASE_EXPLORER_URL="", ETHEREUM_EXPLORER_URL="https://eth.example/explorer/"))
    chains = {c["name"]: c for c in requests.get(server.url("/api/v1/chains"), timeout=10).json()["chains"]}
    assert sorted(chains) == ["base", "ethereum", "solana"]
    assert chains["ethereum"]["chain_id"] == 1 and chains["ethereum"]["native_symbol"] == "ETH"
    assert chains["ethereum"]["explorer"] == {
        "url": "https://eth.example/explorer", "address": "https://eth.example/explorer/address/{address}",
        "token": "https://eth.example/explorer/token/{token}"}
    assert chains["solana"]["explorer"]["address"] == "https://solscan.io/account/{address}"
    assert chains["solana"]["chain_id"] is None and chains["solana"]["native_decimals"] == 9
    assert chains["base"]["explorer"] is None


def test_a_bad_explorer_url_fails_the_start_naming_the_key(server_factory, tmp_path):
    status, _, lines = failed_start(
        server_factory, ["serve", "--database", str(tmp_path / "never.sqlite")],
        base_environment(SOLANA_EXPLORER_URL="solscan.io"))
    assert status == 2
    assert lines == ["portfolio-server: configuration key 'chains.solana.explorer_url': must be an http:// or "
                     'https:// URL or empty, got "solscan.io"'], lines
