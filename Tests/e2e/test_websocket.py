"""The WebSocket stream at /api/v1/stream, through the `websockets` sync client."""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import uuid

import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from conftest import add_wallet, parse_head

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
RECV_TIMEOUT = 5


def recv_json(ws) -> dict:
    frame = ws.recv(timeout=RECV_TIMEOUT)
    assert isinstance(frame, str), f"expected a text frame, got {frame!r}"
    message = json.loads(frame)
    assert isinstance(message, dict), message
    return message


def request(ws, message) -> dict:
    ws.send(message if isinstance(message, str) else json.dumps(message))
    return recv_json(ws)


def assert_error(reply: dict, code: str) -> None:
    assert reply.get("type") == "error", reply
    assert reply.get("code") == code, reply
    assert isinstance(reply.get("message"), str) and reply["message"], reply


def assert_still_open(ws) -> None:
    """A valid subscribe after an error frame still starts: a snapshot (or a resume)."""
    reply = request(ws, {"op": "subscribe", "topic": "portfolio"})
    assert reply["type"] in ("snapshot", "resumed"), reply
    assert reply["topic"] == "portfolio", reply


@pytest.fixture
def ws(server):
    with connect(server.ws_url, open_timeout=5, close_timeout=2) as conn:
        yield conn


def test_subscribe_portfolio_returns_epoch(ws):
    reply = request(ws, {"op": "subscribe", "topic": "portfolio"})
    assert reply["type"] in ("snapshot", "resumed")
    assert reply["topic"] == "portfolio"
    assert UUID_RE.match(reply["epoch"]), reply


def test_epoch_is_stable_across_connections(server, ws):
    first = request(ws, {"op": "subscribe", "topic": "portfolio"})["epoch"]
    with connect(server.ws_url, open_timeout=5) as other:
        second = request(other, {"op": "subscribe", "topic": "portfolio"})["epoch"]
    assert first == second


def test_subscribe_existing_wallet(server, ws):
    wallet = add_wallet(server)
    reply = request(ws, {"op": "subscribe", "topic": f"wallet:{wallet['id']}"})
    assert reply["type"] in ("snapshot", "resumed"), reply
    assert reply["topic"] == f"wallet:{wallet['id']}"
    assert UUID_RE.match(reply["epoch"]), reply


@pytest.mark.parametrize("since", [2, 5, 1234567890123])
def test_subscribe_with_since(ws, since):
    reply = request(ws, {"op": "subscribe", "topic": "portfolio", "since": since})
    assert reply["type"] in ("snapshot", "resumed"), reply


@pytest.mark.parametrize("since", [0, 1])
def test_subscribe_with_since_zero_or_one(ws, since):
    # A replay of what came after `since` (wallets added by earlier tests included) ends with
    # `resumed`; every replayed frame is past `since`.
    reply = request(ws, {"op": "subscribe", "topic": "portfolio", "since": since})
    while reply["type"] not in ("snapshot", "resumed"):
        assert reply["type"] in ("diff", "wallet_added", "wallets_added", "wallet_removed"), reply
        assert reply["seq"] > since, reply
        reply = recv_json(ws)
    assert reply["type"] in ("snapshot", "resumed"), reply


def test_subscribe_unknown_wallet(ws):
    reply = request(ws, {"op": "subscribe", "topic": f"wallet:{uuid.uuid4()}"})
    assert_error(reply, "unknown_wallet")
    assert_still_open(ws)


def test_subscribe_deleted_wallet_is_unknown(server, ws):
    wallet = add_wallet(server)
    assert requests.delete(server.url(f"/api/v1/wallets/{wallet['id']}"), timeout=5).status_code == 204
    reply = request(ws, {"op": "subscribe", "topic": f"wallet:{wallet['id']}"})
    assert_error(reply, "unknown_wallet")


def test_unsubscribe(server, ws):
    wallet = add_wallet(server)
    topic = f"wallet:{wallet['id']}"
    assert request(ws, {"op": "subscribe", "topic": topic})["type"] in ("snapshot", "resumed")
    reply = request(ws, {"op": "unsubscribe", "topic": topic})
    assert reply["type"] == "unsubscribed", reply
    assert reply["topic"] == topic
    # A second unsubscribe finds nothing to remove.
    assert_error(request(ws, {"op": "unsubscribe", "topic": topic}), "not_subscribed")
    assert_still_open(ws)


def test_unsubscribe_without_subscription(ws):
    assert_error(request(ws, {"op": "unsubscribe", "topic": "portfolio"}), "not_subscribed")
    assert_still_open(ws)


@pytest.mark.parametrize(
    "message, code",
    [
        ("this is not json", "invalid_json"),
        ('{"op": "subscribe", "topic": ', "invalid_json"),
        ("", "invalid_json"),
        ("[1, 2, 3]", "invalid_message"),
        ('"subscribe"', "invalid_message"),
        ("42", "invalid_message"),
        ("null", "invalid_message"),
        ('{"topic": "portfolio"}', "missing_field"),
        ('{"op": "subscribe"}', "missing_field"),
        ('{"op": "publish", "topic": "portfolio"}', "unknown_op"),
        ('{"op": "subscribe", "topic": "prices"}', "invalid_topic"),
        ('{"op": "subscribe", "topic": "wallet:not-a-uuid"}', "invalid_topic"),
        ('{"op": "subscribe", "topic": "wallet:"}', "invalid_topic"),
        ('{"op": "subscribe", "topic": "portfolio", "since": -1}', "invalid_field"),
        ('{"op": "subscribe", "topic": "portfolio", "since": 1.5}', "invalid_field"),
        ('{"op": "subscribe", "topic": "portfolio", "since": "5"}', "invalid_field"),
        ('{"op": "subscribe", "topic": "portfolio", "since": true}', "invalid_field"),
    ],
)
def test_bad_message_gets_error_frame_and_connection_stays_open(ws, message, code):
    assert_error(request(ws, message), code)
    assert_still_open(ws)


def test_several_errors_in_a_row_keep_the_connection(ws):
    for message, code in [("nope", "invalid_json"), ("[]", "invalid_message"), ("{}", "missing_field")]:
        assert_error(request(ws, message), code)
    assert_still_open(ws)


def test_binary_frame_gets_error_frame(ws):
    ws.send(b'{"op":"subscribe","topic":"portfolio"}')
    assert_error(recv_json(ws), "binary_frame")
    assert_still_open(ws)


def test_message_just_under_limit_is_processed(ws):
    # 64 KiB exactly is allowed: a valid subscribe padded with whitespace.
    base = json.dumps({"op": "subscribe", "topic": "portfolio"})
    message = base[:-1] + " " * (64 * 1024 - len(base)) + "}"
    assert len(message.encode()) == 64 * 1024
    reply = request(ws, message)
    assert reply["type"] in ("snapshot", "resumed"), reply


def test_oversized_message_closes_with_1009(server):
    with connect(server.ws_url, open_timeout=5, close_timeout=2) as conn:
        conn.send(json.dumps({"op": "subscribe", "topic": "portfolio", "pad": "x" * (64 * 1024)}))
        with pytest.raises(ConnectionClosed) as closed:
            conn.recv(timeout=RECV_TIMEOUT)
        assert closed.value.rcvd is not None, "server did not send a close frame"
        assert closed.value.rcvd.code == 1009, closed.value


def test_oversized_message_does_not_affect_other_connections(server, ws):
    with connect(server.ws_url, open_timeout=5) as other:
        other.send("x" * (65 * 1024))
        with pytest.raises(ConnectionClosed):
            other.recv(timeout=RECV_TIMEOUT)
    assert_still_open(ws)


def raw_upgrade(port: int, path: str) -> tuple[str, dict[str, str], bytes]:
    """Sends a WebSocket upgrade request by hand; returns (status line, headers, body)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request_bytes = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request_bytes)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status_line, headers = parse_head(head)
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    return status_line, headers, body


@pytest.mark.parametrize("path", ["/api/v1/streams", "/api/v1/wallets", "/", "/api/v1/stream/extra"])
def test_upgrade_on_another_path_is_http_404(server, path):
    status_line, headers, body = raw_upgrade(server.port, path)
    parts = status_line.split(" ", 2)
    assert parts[0].startswith("HTTP/1."), status_line
    assert parts[1] == "404", status_line
    assert "sec-websocket-accept" not in headers
    assert headers.get("content-type", "").startswith("application/problem+json"), headers
    problem = json.loads(body)
    assert problem["status"] == 404
    assert {"type", "title", "detail"} <= problem.keys()


def test_upgrade_on_the_stream_path_is_101(server):
    status_line, headers, _ = raw_upgrade(server.port, "/api/v1/stream")
    assert status_line.split(" ")[1] == "101", status_line
    assert "sec-websocket-accept" in headers


def test_upgrade_on_another_path_is_404_for_a_websocket_client(server):
    with pytest.raises(InvalidStatus) as refused:
        with connect(f"ws://127.0.0.1:{server.port}/api/v1/streams", open_timeout=5):
            pass
    assert refused.value.response.status_code == 404


def test_many_subscriptions_on_one_connection(server, ws):
    wallets = [add_wallet(server) for _ in range(5)]
    for wallet in wallets:
        ws.send(json.dumps({"op": "subscribe", "topic": f"wallet:{wallet['id']}"}))
    topics = [recv_json(ws)["topic"] for _ in wallets]
    assert topics == [f"wallet:{w['id']}" for w in wallets]


def test_epoch_survives_restart(server_factory):
    database = server_factory.database_path("epoch.sqlite")
    first = server_factory.start(database=database)
    with connect(first.ws_url, open_timeout=5) as conn:
        epoch = request(conn, {"op": "subscribe", "topic": "portfolio"})["epoch"]
    assert first.stop() == 0
    second = server_factory.start(database=database)
    with connect(second.ws_url, open_timeout=5) as conn:
        assert request(conn, {"op": "subscribe", "topic": "portfolio"})["epoch"] == epoch
    # A different database file has a different epoch.
    third = server_factory.start(database=server_factory.database_path("other.sqlite"))
    with connect(third.ws_url, open_timeout=5) as conn:
        assert request(conn, {"op": "subscribe", "topic": "portfolio"})["epoch"] != epoch


@pytest.mark.parametrize("fragmented", [False, True])
def test_oversized_binary_message_closes_with_1009(server, fragmented):
    payload = b"\x00" * (64 * 1024 + 1)
    with connect(server.ws_url, open_timeout=5, close_timeout=2, max_size=None) as conn:
        # The server may close while the last fragments are still being sent: then the send
        # itself reports the close.
        with pytest.raises(ConnectionClosed) as closed:
            if fragmented:
                conn.send(payload[i:i + 8192] for i in range(0, len(payload), 8192))
            else:
                conn.send(payload)
            conn.recv(timeout=RECV_TIMEOUT)
        assert closed.value.rcvd is not None, "server did not send a close frame"
        assert closed.value.rcvd.code == 1009, closed.value
        assert "65536" in closed.value.rcvd.reason, closed.value


def test_binary_message_at_the_limit_gets_error_frame(ws):
    ws.send(b"\x00" * (64 * 1024))
    assert_error(recv_json(ws), "binary_frame")
    assert_still_open(ws)
