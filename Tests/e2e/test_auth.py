"""Users and access tokens end to end: the command line, REST and the stream's auth paths, and
each user seeing only their own, through independent clients (requests, websockets)."""

from __future__ import annotations

import contextlib
import json
import time

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from conftest import base_environment, random_evm_address
from test_chains import DevChain, chain_environment, DEVCHAIN_BIN  # noqa: F401  (devchain fixture below)
from test_websocket import RECV_TIMEOUT, assert_error, recv_json, request

TOKEN_LENGTH = 47


@pytest.fixture(scope="module")
def devchain():
    chain = DevChain()
    yield chain
    chain.stop()


def cli(factory, *args: str) -> str:
    result = factory.run([*args])
    assert result.returncode == 0, f"{args}: {result.stderr}"
    return result.stdout


class Users:
    """A server that asks for tokens, with users made and tokens issued on the command line."""

    def __init__(self, factory, env: dict[str, str], **extra: str):
        self.database = factory.database_path(f"auth-{time.monotonic_ns()}.sqlite")
        db = ["--database", str(self.database)]
        self.tokens: dict[str, str] = {}
        self.tokens["owner"] = cli(factory, "token", "create", "--user", "owner", "--scope", "admin", *db).strip()
        for name in ("alice", "bob"):
            cli(factory, "user", "create", name, *db)
            self.tokens[name] = cli(factory, "token", "create", "--user", name, "--scope", "write", *db).strip()
        env = dict(env, AUTH_REQUIRED="true", **extra)
        self.server = factory.start(env=env, database=self.database)

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def call(self, user: str | None, method: str, path: str, **kwargs) -> requests.Response:
        headers = self.headers(user) if user else {}
        return requests.request(method, self.server.url(path), headers=headers, timeout=10, **kwargs)

    def stream(self, user: str | None = None, **kwargs):
        headers = self.headers(user) if user else None
        return connect(self.server.ws_url, additional_headers=headers, open_timeout=5, **kwargs)


def closed_with(ws) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            ws.recv(timeout=15)
    received = closed.value.rcvd
    assert received is not None, "the server sent no close frame"
    return received.code, received.reason


def test_the_token_commands_issue_once_list_without_secrets_and_revoke(server_factory):
    database = str(server_factory.database_path("cli.sqlite"))
    db = ["--database", database]
    made = cli(server_factory, "user", "create", "alice", *db)
    assert "alice" in made
    duplicate = server_factory.run(["user", "create", "ALICE", *db])
    assert duplicate.returncode != 0 and "exists" in duplicate.stderr
    bad = server_factory.run(["user", "create", "a b", *db])
    assert bad.returncode != 0 and "not a valid user name" in bad.stderr

    issued = server_factory.run(["token", "create", "--user", "alice", "--scope", "read", "--name", "phone",
                                 "--expires", "30d", *db])
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    # Alone on standard output, so TOKEN=$(portfolio-server token create ...) works.
    assert issued.stdout == token + "\n"
    assert token.startswith("cpt_") and len(token) == TOKEN_LENGTH
    assert "shown only this once" in issued.stderr

    listing = cli(server_factory, "token", "list", *db)
    assert "alice" in listing and "phone" in listing and "active" in listing
    assert token not in listing and token[12:] not in listing
    assert token[:12] in listing  # the public prefix, to recognise it by

    for wrong in (["--scope", "root"], ["--scope", "read", "--expires", "soon"], ["--scope", "read", "--user", "nobody"]):
        args = ["token", "create", "--user", "alice", *wrong, *db] if "--user" not in wrong else \
            ["token", "create", *wrong, *db]
        assert server_factory.run(args).returncode != 0, wrong

    assert "revoked" in cli(server_factory, "token", "revoke", "1", *db)
    assert "revoked" in cli(server_factory, "token", "list", *db)
    users = cli(server_factory, "user", "list", *db)
    assert "owner" in users and "alice" in users
    assert "removed" in cli(server_factory, "user", "delete", "alice", *db)
    assert "alice" not in cli(server_factory, "user", "list", *db)


def test_a_non_loopback_server_requires_tokens_and_says_how_to_make_one(server_factory):
    server = server_factory.start(["serve", "--host", "0.0.0.0", "--port", "0", "--database",
                                   str(server_factory.database_path("open.sqlite"))])
    hint = "portfolio-server token create --user owner --scope admin"
    deadline = time.monotonic() + 5
    while hint not in server.stderr_text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hint in server.stderr_text
    port = server.base_url.rsplit(":", 1)[1]
    reply = requests.get(f"http://127.0.0.1:{port}/api/v1/wallets", timeout=5)
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert reply.headers["content-type"] == "application/problem+json"
    assert requests.get(f"http://127.0.0.1:{port}/api/v1/live", timeout=5).status_code == 200
    # Turning tokens off there is refused, naming the key.
    refused = server_factory.run(["serve", "--host", "0.0.0.0", "--port", "0", "--database",
                                  str(server_factory.database_path("open.sqlite"))],
                                 env=base_environment(AUTH_REQUIRED="false"))
    assert refused.returncode != 0
    assert "server.auth_required" in refused.stderr


def test_each_user_sees_only_their_own_over_rest_and_stream(server_factory, devchain):
    users = Users(server_factory, chain_environment(devchain, ETHEREUM_POLL_INTERVAL="0.2"))
    alice_address, bob_address = random_evm_address(), random_evm_address()
    devchain.control("balance", {"chain": "ethereum", "address": alice_address, "token": None, "amount": "5"})
    alice_wallet = users.call("alice", "POST", "/api/v1/wallets",
                              json={"chain": "ethereum", "address": alice_address}).json()
    assert users.call("alice", "POST", f"/api/v1/wallets/{alice_wallet['id']}/fetch").status_code == 200

    with users.stream("bob") as bob, users.stream("alice") as alice:
        snapshot = request(bob, {"op": "subscribe", "topic": "portfolio"})
        assert snapshot["type"] == "snapshot" and snapshot["data"]["wallets"] == []
        # Alice's wallet is as unknown to bob as a missing one.
        assert_error(request(bob, {"op": "subscribe", "topic": f"wallet:{alice_wallet['id']}"}), "unknown_wallet")
        mine = request(alice, {"op": "subscribe", "topic": "portfolio"})
        assert [w["id"] for w in mine["data"]["wallets"]] == [alice_wallet["id"]]

        # Alice's balance moves: she is told, bob is not.
        devchain.control("balance", {"chain": "ethereum", "address": alice_address, "token": None, "amount": "6"})
        diff = recv_json(alice)
        assert diff["type"] == "diff" and diff["changes"][0]["wallet"] == alice_wallet["id"]
        # Bob adds a wallet of his own: he sees it; alice does not.
        bob_wallet = users.call("bob", "POST", "/api/v1/wallets",
                                json={"chain": "ethereum", "address": bob_address}).json()
        added = recv_json(bob)
        assert added["type"] == "wallet_added" and added["wallet"]["id"] == bob_wallet["id"]
        with pytest.raises(TimeoutError):
            frame = json.loads(alice.recv(timeout=1.5))
            raise AssertionError(f"alice was sent bob's event: {frame}")

        # A resume replays only the user's own events.
        with users.stream("bob") as again:
            replay = []
            again.send(json.dumps({"op": "subscribe", "topic": "portfolio", "since": 0, "epoch": snapshot["epoch"]}))
            while True:
                frame = recv_json(again)
                replay.append(frame)
                if frame["type"] in ("resumed", "snapshot"):
                    break
            text = json.dumps(replay)
            assert alice_wallet["id"] not in text and alice_address.lower() not in text.lower()
            assert bob_wallet["id"] in text


def test_the_stream_takes_a_token_in_the_upgrade_or_a_first_message(server_factory):
    users = Users(server_factory, base_environment())
    with users.stream("alice") as ws:
        assert request(ws, {"op": "subscribe", "topic": "portfolio"})["type"] == "snapshot"
    with users.stream() as ws:
        # Nothing but auth is accepted first.
        assert_error(request(ws, {"op": "subscribe", "topic": "portfolio"}), "auth_required")
        reply = request(ws, {"op": "auth", "token": users.tokens["bob"]})
        assert reply == {"type": "authenticated", "user": "bob", "scope": "write"}
        assert_error(request(ws, {"op": "auth", "token": users.tokens["bob"]}), "already_authenticated")
        assert request(ws, {"op": "subscribe", "topic": "portfolio"})["type"] == "snapshot"
    with users.stream() as ws:
        ws.send(json.dumps({"op": "auth", "token": "cpt_" + "A" * 43}))
        code, reason = closed_with(ws)
        assert code == 4401 and "unknown token" in reason
    bad_header = connect(users.server.ws_url, additional_headers={"Authorization": "Bearer nope"}, open_timeout=5)
    with bad_header as ws:
        code, reason = closed_with(ws)
        assert code == 4401 and "not a token" in reason


def test_a_stream_that_never_authenticates_is_closed_after_ten_seconds(server_factory):
    users = Users(server_factory, base_environment())
    started = time.monotonic()
    with users.stream() as ws:
        code, reason = closed_with(ws)
    waited = time.monotonic() - started
    assert code == 4401 and "10 s" in reason
    assert 9 <= waited < 14, waited


def test_a_revoked_or_expired_token_is_refused(server_factory):
    users = Users(server_factory, base_environment())
    assert users.call("alice", "GET", "/api/v1/wallets").status_code == 200
    listed = users.call("owner", "GET", "/api/v1/access-tokens?user=alice").json()["access_tokens"]
    assert users.call("owner", "DELETE", f"/api/v1/access-tokens/{listed[0]['id']}").status_code == 204
    refused = users.call("alice", "GET", "/api/v1/wallets")
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert "revoked" in refused.json()["detail"]
    with users.stream() as ws:
        ws.send(json.dumps({"op": "auth", "token": users.tokens["alice"]}))
        code, reason = closed_with(ws)
        assert code == 4401 and "revoked" in reason
    # A read token may read, not write.
    issued = users.call("owner", "POST", "/api/v1/access-tokens", json={"user": "bob", "scope": "read"}).json()
    reader = {"Authorization": f"Bearer {issued['token']}"}
    assert requests.get(users.server.url("/api/v1/wallets"), headers=reader, timeout=5).status_code == 200
    write = requests.post(users.server.url("/api/v1/wallets"), headers=reader, timeout=5,
                          json={"chain": "ethereum", "address": random_evm_address()})
    assert write.status_code == 403
    assert write.json()["required_scope"] == "write"


def test_stream_connections_per_user_are_capped(server_factory):
    users = Users(server_factory, base_environment(), SERVER_MAX_STREAM_CONNECTIONS_PER_USER="2")
    with contextlib.ExitStack() as held:
        first, second = (held.enter_context(users.stream("alice")) for _ in range(2))
        for ws in (first, second):
            assert request(ws, {"op": "subscribe", "topic": "portfolio"})["type"] == "snapshot"
        with users.stream("alice") as third:
            code, reason = closed_with(third)
            assert code == 4429 and "at most 2" in reason
        # Another user is not affected.
        with users.stream("bob") as other:
            assert request(other, {"op": "subscribe", "topic": "portfolio"})["type"] == "snapshot"
    # A closed connection frees its place.
    deadline = time.monotonic() + 5
    while True:
        with users.stream("alice") as again:
            again.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
            try:
                if recv_json(again)["type"] == "snapshot":
                    break
            except ConnectionClosed:
                if time.monotonic() > deadline:
                    raise
        time.sleep(0.2)


def test_requests_are_limited_per_token(server_factory):
    users = Users(server_factory, dict(base_environment(), RATE_LIMIT_REQUESTS="5"))
    codes = [users.call("alice", "GET", "/api/v1/wallets").status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429
    limited = users.call("alice", "GET", "/api/v1/wallets")
    assert int(limited.headers["retry-after"]) > 0
    # Bob's token has its own budget, from the same address.
    assert users.call("bob", "GET", "/api/v1/wallets").status_code == 200


def test_revoking_a_token_on_the_command_line_ends_its_open_streams(server_factory):
    users = Users(server_factory, base_environment())
    with users.stream("alice") as alice, users.stream("bob") as bob:
        for ws in (alice, bob):
            assert request(ws, {"op": "subscribe", "topic": "portfolio"})["type"] == "snapshot"
        listed = users.call("owner", "GET", "/api/v1/access-tokens?user=alice").json()["access_tokens"]
        # Another process revokes it: the server learns of it from the database.
        cli(server_factory, "token", "revoke", str(listed[0]["id"]), "--database", str(users.database))
        started = time.monotonic()
        code, reason = closed_with(alice)
        assert code == 4401 and "revoked" in reason
        assert time.monotonic() - started < 8
        # Bob's connection stays.
        assert request(bob, {"op": "unsubscribe", "topic": "portfolio"})["type"] == "unsubscribed"
