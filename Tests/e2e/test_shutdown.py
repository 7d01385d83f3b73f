"""Graceful shutdown on SIGTERM and SIGINT: WebSockets get 1001, the process exits 0."""

from __future__ import annotations

import contextlib
import json
import signal
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import add_wallet, list_all_wallets

EXIT_WITHIN = 5.0


def open_subscribed(stack: contextlib.ExitStack, server):
    conn = stack.enter_context(connect(server.ws_url, open_timeout=5, close_timeout=2))
    conn.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
    assert json.loads(conn.recv(timeout=5))["type"] in ("snapshot", "resumed")
    return conn


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_closes_websockets_with_1001_and_exits_0(server_factory, sig):
    server = server_factory.start()
    with contextlib.ExitStack() as stack:
        sockets = [open_subscribed(stack, server) for _ in range(3)]
        started = time.monotonic()
        server.send_signal(sig)
        for conn in sockets:
            with pytest.raises(ConnectionClosed) as closed:
                while True:  # no other frames are expected, but skip any that come
                    conn.recv(timeout=EXIT_WITHIN)
            assert closed.value.rcvd is not None, "the server sent no close frame"
            assert closed.value.rcvd.code == 1001, closed.value
            assert closed.value.rcvd.reason == "server shutting down", closed.value
        rc = server.wait_exit(EXIT_WITHIN)
        elapsed = time.monotonic() - started
    assert rc == 0, server.stderr_text
    assert elapsed < EXIT_WITHIN, elapsed


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_idle_server_exits_0_on_signal(server_factory, sig):
    server = server_factory.start()
    assert requests.get(server.url("/api/v1/live"), timeout=5).status_code == 200
    started = time.monotonic()
    server.send_signal(sig)
    assert server.wait_exit(EXIT_WITHIN) == 0, server.stderr_text
    assert time.monotonic() - started < EXIT_WITHIN
    assert "shutting down" in server.stderr_text


def test_port_is_released_and_data_kept_after_sigterm(server_factory):
    database = server_factory.database_path("shutdown.sqlite")
    first = server_factory.start(database=database)
    wallet = add_wallet(first)
    port = first.port
    assert first.stop(signal.SIGTERM) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/api/v1/live", timeout=2)
    # The same port can be bound again at once.
    second = server_factory.start(
        ["serve", "--host", "127.0.0.1", "--port", str(port), "--database", str(database)]
    )
    assert second.port == port
    assert [w["id"] for w in list_all_wallets(second)] == [wallet["id"]]
    assert second.stop(signal.SIGINT) == 0


def test_signal_right_after_listening_is_graceful(server_factory):
    # A supervisor may stop a server the moment it reports readiness. Several tries make the
    # outcome deterministic: the window is milliseconds wide, and one lost try is a failure.
    codes = []
    for _ in range(8):
        server = server_factory.start()
        server.send_signal(signal.SIGTERM)
        codes.append(server.wait_exit(EXIT_WITHIN))
    assert codes == [0] * len(codes)


def test_graceful_shutdown_closes_the_database(server_factory):
    outcomes = []
    for index, sig in enumerate([signal.SIGTERM, signal.SIGINT, signal.SIGTERM]):
        database = server_factory.database_path(f"close{index}.sqlite")
        server = server_factory.start(database=database)
        add_wallet(server)
        assert server.stop(sig) == 0, server.stderr_text
        wal = database.with_name(database.name + "-wal")
        outcomes.append(("stopped" in server.stderr_text, wal.exists() and wal.stat().st_size > 0))
    assert outcomes == [(True, False)] * len(outcomes), outcomes
