"""`/metrics` end to end: the exposition parses with the Prometheus project's own Python
parser, stream figures move with a real WebSocket client, and every log line of a request
names it while poller lines name their chain."""

from __future__ import annotations

import json
import socket
import time

import requests
from prometheus_client.parser import text_string_to_metric_families
from websockets.sync.client import connect

from conftest import add_wallet, base_environment
from test_chains import chain_environment, devchain  # noqa: F401  (devchain is a fixture)


def scrape(server) -> dict[str, float]:
    """Every sample as `name{label="value",...}` (labels sorted) to its value."""
    response = requests.get(server.url("/metrics"), timeout=5)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = ",".join(f'{key}="{value}"' for key, value in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return samples


def wait_for(server, predicate, what: str, timeout: float = 20.0) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    samples: dict[str, float] = {}
    while time.monotonic() < deadline:
        samples = scrape(server)
        if predicate(samples):
            return samples
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s; last scrape: {json.dumps(samples)[:3000]}")


def test_stream_figures_move_with_a_real_client(server_factory, devchain):
    server = server_factory.start(env=chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.2"))
    add_wallet(server)
    before = scrape(server)
    assert before["portfolio_websocket_connections"] == 0
    with connect(server.ws_url) as socket_:
        socket_.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        assert json.loads(socket_.recv(timeout=10))["type"] == "snapshot"
        during = wait_for(
            server,
            lambda s: s["portfolio_websocket_connections"] == 1 and s["portfolio_websocket_subscriptions"] >= 1,
            "the open connection and its subscription are counted",
        )
        assert during["portfolio_websocket_frames_sent_total"] >= before["portfolio_websocket_frames_sent_total"] + 1
    wait_for(server, lambda s: s["portfolio_websocket_connections"] == 0, "the closed connection is no longer counted")
    after = scrape(server)
    assert after["portfolio_websocket_subscriptions"] == 0
    # The histogram's buckets are cumulative and end at +Inf with the count.
    route = 'method="POST",route="/api/v1/wallets"'
    count = after[f"portfolio_http_request_duration_seconds_count{{{route}}}"]
    assert after[f'portfolio_http_request_duration_seconds_bucket{{le="+Inf",{route}}}'] == count >= 1


def test_log_lines_name_their_request_and_their_chain(server_factory):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead_port = closed.getsockname()[1]
    server = server_factory.start(
        env=base_environment(
            LOG_FORMAT="json", ETHEREUM_RPC_URL=f"http://127.0.0.1:{dead_port}/", ETHEREUM_POLL_INTERVAL="0.2",
            SOLANA_ENABLED="false", POLYGON_ENABLED="false", ARBITRUM_ENABLED="false", OPTIMISM_ENABLED="false",
            BASE_ENABLED="false", BSC_ENABLED="false",
        )
    )
    response = requests.get(server.url("/api/v1/wallets"), headers={"X-Request-Id": "e2e-trace-7"}, timeout=5)
    assert response.headers["x-request-id"] == "e2e-trace-7"
    generated = requests.get(server.url("/api/v1/nowhere"), timeout=5).headers["x-request-id"]
    deadline = time.monotonic() + 20
    lines: list[dict] = []
    while time.monotonic() < deadline:
        lines = [json.loads(line) for line in server.stderr_lines if line.startswith("{")]
        polls = [line for line in lines if line["message"] == "poll failed"]
        if polls and any(line.get("request_id") == generated for line in lines):
            break
        time.sleep(0.2)
    requests_logged = [line for line in lines if line.get("message", "").startswith("GET /api/v1/")]
    assert {line["request_id"] for line in requests_logged} >= {"e2e-trace-7", generated}
    polls = [line for line in lines if line["message"] == "poll failed"]
    assert polls and all(line["chain"] == "ethereum" for line in polls), lines[-20:]
    samples = scrape(server)
    assert samples['portfolio_poll_cycle_failures_total{chain="ethereum"}'] >= 1
    assert samples['portfolio_rpc_requests_total{chain="ethereum",method="eth_chainId",outcome="transport_error"}'] >= 1
