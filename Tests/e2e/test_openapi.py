"""The API document at /api/v1/openapi.json against the real server.

schemathesis reads the document the server serves and sends requests generated from it (its
examples, coverage, fuzzing and stateful phases), checking that no answer is a server error
(`not_a_server_error`) and that every answer matches the document's schema
(`response_schema_conformance`). The server reads devchain as its chain node and has no price
source; a wallet with balances and a token are there before the run, so the answers carry real
amounts. Settings that are not flags live in Tests/e2e/schemathesis.toml.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from test_chains import DEVCHAIN_BIN, DevChain, chain_environment

CONFIG = Path(__file__).with_name("schemathesis.toml")
WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
# Enough cases to reach every status an operation answers, few enough to stay well under two
# minutes on two cores.
MAX_EXAMPLES = 25
SEED = 20261203
# The document now has about twice the operations it had; a loaded machine takes longer.
RUN_TIMEOUT = 300


@pytest.fixture
def devchain():
    if not DEVCHAIN_BIN.exists():
        pytest.fail(f"devchain binary not found next to the server: {DEVCHAIN_BIN}")
    chain = DevChain()
    yield chain
    chain.stop()


def test_the_document_is_openapi_3_1_and_names_the_problem_type(server):
    response = requests.get(server.url("/api/v1/openapi.json"), timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    assert "/api/v1/wallets/{id}" in document["paths"]
    assert set(document["paths"]["/api/v1/wallets/{id}"]) == {"get", "patch", "delete"}
    not_found = document["components"]["responses"]["NotFound"]
    assert list(not_found["content"]) == ["application/problem+json"]
    bearer = document["components"]["securitySchemes"]["bearerAuth"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    # Required per operation: every one but the probes, the stream's entry and this document;
    # optional for /metrics, which loopback clients may read without one.
    assert document.get("security", []) == []
    assert document["paths"]["/metrics"]["get"]["security"] == [{}, {"bearerAuth": []}]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            open_path = path in ("/api/v1/ready", "/api/v1/live", "/api/v1/stream",
                                 "/api/v1/openapi.json")
            if path != "/metrics":
                assert (operation.get("security") == [{"bearerAuth": []}]) == (not open_path), (method, path)
            assert ("401" in operation["responses"]) == (not open_path), (method, path)


def test_a_plain_request_to_the_stream_is_told_to_upgrade(server):
    response = requests.get(server.url("/api/v1/stream"), timeout=10)
    assert response.status_code == 426
    assert response.headers["upgrade"] == "websocket"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 426


@pytest.mark.parametrize("field", ["from", "to"])
@pytest.mark.parametrize("time", ["1e300", "-1e300", "253402300800", "-1", "0001-01-01T00:00:00Z"])
def test_history_times_outside_1970_to_9999_are_refused(server, field, time):
    # 1e300 once stopped the server: bucket arithmetic overflowed Int64.
    response = requests.get(server.url("/api/v1/portfolio/history"), params={field: time}, timeout=10)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["field"] == field
    assert requests.get(server.url("/api/v1/live"), timeout=10).status_code == 200


# Without a price source (every USD field null), then with a fixed ETH price (USD strings),
# reading only: the second run checks the priced shapes of the same answers.
RUNS = {
    "unpriced": ({}, MAX_EXAMPLES, []),
    "priced": ({"PRICES_SOURCES": "fixed", "PRICES_FIXED": "ethereum:native=3000.5"}, 10, ["--include-method", "GET"]),
}


@pytest.mark.parametrize("run", list(RUNS))
def test_schemathesis_finds_no_server_error_and_no_answer_off_the_document(server_factory, devchain, tmp_path, run):
    settings, examples, flags = RUNS[run]
    token = devchain.control("token", {"chain": "ethereum", "symbol": "PEPE", "decimals": 18})["address"]
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": None, "amount": "2500000000000000000"})
    devchain.control("balance", {"chain": "ethereum", "address": WALLET, "token": token, "amount": "42"})
    # A server that asks for tokens, called with an admin token: every operation is reachable.
    # Two tokens are issued first so the one in use is not id 1, which the generated cases
    # revoke early and often.
    database = server_factory.database_path(f"schemathesis-{run}.sqlite")
    for _ in range(2):
        server_factory.run(["token", "create", "--user", "owner", "--scope", "read", "--database", str(database)])
    issued = server_factory.run(["token", "create", "--user", "owner", "--scope", "admin", "--database", str(database)])
    assert issued.returncode == 0, issued.stderr
    auth = {"Authorization": f"Bearer {issued.stdout.strip()}"}
    # Webhook and push URLs are generated at random: allowing private targets spares a name
    # lookup of each at registration (the tests have no DNS); refusals have tests of their own.
    server = server_factory.start(
        env=chain_environment(devchain, AUTH_REQUIRED="true", NOTIFICATIONS_ALLOW_PRIVATE_TARGETS="true", **settings),
        database=database)
    added = requests.post(server.url("/api/v1/tokens"), json={"chain": "ethereum", "address": token}, headers=auth,
                          timeout=10)
    assert added.status_code == 201, added.text
    wallet = requests.post(server.url("/api/v1/wallets"), json={"chain": "ethereum", "address": WALLET},
                           headers=auth, timeout=10)
    assert wallet.status_code == 201, wallet.text
    fetched = requests.post(server.url(f"/api/v1/wallets/{wallet.json()['id']}/fetch"), headers=auth, timeout=10)
    assert fetched.status_code == 200, fetched.text
    if settings:
        wait_for_a_priced_portfolio(server, auth)

    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
        server.url("/api/v1/openapi.json"),
        "--checks", "not_a_server_error,response_schema_conformance",
        "--max-examples", str(examples), "--seed", str(SEED), "--no-color", *flags,
        "--header", f"Authorization: {auth['Authorization']}",
    ]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"{' '.join(command)}\n{output[-12000:]}\n--- server log ---\n{server.stderr_text[-4000:]}"
    generated = re.search(r"(\d+) generated, (\d+) passed", output)
    assert generated and generated.group(1) == generated.group(2), output[-3000:]
    assert int(generated.group(1)) >= 200, output[-3000:]
    print(f"schemathesis ({run}): {generated.group(1)} cases")
    assert server.proc.poll() is None, "the server died under schemathesis"


def wait_for_a_priced_portfolio(server, headers: dict[str, str], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while (value := requests.get(server.url("/api/v1/portfolio"), headers=headers, timeout=10).json()["value"])[
            "usd"] is None:
        assert time.monotonic() < deadline, f"no price within {timeout} s: {value}"
        time.sleep(0.1)
