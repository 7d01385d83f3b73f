"""A compact pass over the REST API with `requests`: an independent client to the Swift tests."""

from __future__ import annotations

import json
import re
import socket
import time
import uuid

import pytest
import requests
import urllib3.connection

from conftest import REPO_ROOT, add_wallet, base_environment, parse_head, random_evm_address

SUPPORTED_CHAINS = ["arbitrum", "base", "bsc", "ethereum", "optimism", "polygon", "solana"]
TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# The EIP-55 specification's own examples.
EIP55_ADDRESSES = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]
SOLANA_ADDRESS = "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"


def assert_problem(response: requests.Response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers.get("content-type", "").startswith("application/problem+json"), response.headers
    problem = response.json()
    for key in ("type", "title", "status", "detail"):
        assert key in problem, problem
    assert problem["status"] == status
    assert isinstance(problem["title"], str) and problem["title"]
    assert isinstance(problem["detail"], str) and problem["detail"]
    if field is not None:
        assert problem.get("field") == field, problem
    return problem


@pytest.fixture(scope="module")
def api(server):
    """`api.get("/path")` etc. against the module's server."""

    class Client:
        def __init__(self):
            self.session = requests.Session()

        def request(self, method, path, **kwargs):
            kwargs.setdefault("timeout", 10)
            return self.session.request(method, server.url(path), **kwargs)

        def get(self, path, **kwargs):
            return self.request("GET", path, **kwargs)

        def post(self, path, **kwargs):
            return self.request("POST", path, **kwargs)

        def patch(self, path, **kwargs):
            return self.request("PATCH", path, **kwargs)

        def delete(self, path, **kwargs):
            return self.request("DELETE", path, **kwargs)

    client = Client()
    yield client
    client.session.close()


# --- create -----------------------------------------------------------------------------


def test_create_wallet_shape(api):
    address = random_evm_address()
    response = api.post("/api/v1/wallets", json={"address": address, "chain": "ethereum"})
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"id", "chain", "address", "label", "created_at", "updated_at"}
    assert UUID_RE.match(body["id"])
    assert response.headers["location"] == f"/api/v1/wallets/{body['id']}"
    assert body["chain"] == "ethereum"
    assert body["address"].lower() == address
    assert body["label"] is None
    assert TIMESTAMP_RE.match(body["created_at"]) and TIMESTAMP_RE.match(body["updated_at"])
    assert body["created_at"] == body["updated_at"]
    assert api.get(response.headers["location"]).json() == body


@pytest.mark.parametrize("checksummed", EIP55_ADDRESSES)
def test_evm_address_is_stored_with_eip55_checksum(api, checksummed):
    for chain, address in (("base", checksummed.lower()), ("arbitrum", "0x" + checksummed[2:].upper())):
        body = api.post("/api/v1/wallets", json={"address": address, "chain": chain}).json()
        assert body["address"] == checksummed, body


def test_solana_address_is_base58(api):
    response = api.post("/api/v1/wallets", json={"address": SOLANA_ADDRESS, "chain": "solana", "label": "sol"})
    assert response.status_code == 201, response.text
    assert response.json()["address"] == SOLANA_ADDRESS
    assert response.json()["label"] == "sol"


def test_chain_name_is_case_insensitive(api):
    response = api.post("/api/v1/wallets", json={"address": random_evm_address(), "chain": "Optimism"})
    assert response.status_code == 201, response.text
    assert response.json()["chain"] == "optimism"


def test_duplicate_is_409_with_existing_id(api):
    address = random_evm_address()
    first = api.post("/api/v1/wallets", json={"address": address, "chain": "ethereum"}).json()
    # The same wallet written differently (checksummed) is still the same wallet.
    again = api.post("/api/v1/wallets", json={"address": first["address"], "chain": "ETHEREUM"})
    problem = assert_problem(again, 409)
    assert problem["existing_id"] == first["id"]
    # The same address on another chain is another wallet.
    other = api.post("/api/v1/wallets", json={"address": address, "chain": "polygon"})
    assert other.status_code == 201 and other.json()["id"] != first["id"]


def test_unknown_chain(api):
    problem = assert_problem(
        api.post("/api/v1/wallets", json={"address": random_evm_address(), "chain": "dogecoin"}), 400, "chain"
    )
    assert problem["supported_chains"] == SUPPORTED_CHAINS


@pytest.mark.parametrize(
    "chain, address",
    [
        ("ethereum", "0x123"),
        ("ethereum", "hello"),
        ("ethereum", "0x" + "g" * 40),
        ("ethereum", "0x" + "a" * 41),
        ("ethereum", ""),
        ("solana", "0x" + "a" * 40),
        ("solana", "0OIl" + SOLANA_ADDRESS[4:]),
        ("solana", "abc"),
    ],
)
def test_bad_address(api, chain, address):
    assert_problem(api.post("/api/v1/wallets", json={"address": address, "chain": chain}), 400, "address")


def test_wrong_checksum_gets_suggestion(api):
    good = EIP55_ADDRESSES[0]
    bad = good[:3] + good[3].swapcase() + good[4:]  # still mixed case, checksum now wrong
    assert bad != good and bad.lower() == good.lower()
    problem = assert_problem(api.post("/api/v1/wallets", json={"address": bad, "chain": "ethereum"}), 400, "address")
    assert problem["suggestion"] == good


@pytest.mark.parametrize(
    "body, field",
    [
        ({"address": 123, "chain": "ethereum"}, "address"),
        ({"address": None, "chain": "ethereum"}, "address"),
        ({"chain": "ethereum"}, "address"),
        ({"address": "0x" + "1" * 40}, "chain"),
        ({"address": "0x" + "1" * 40, "chain": True}, "chain"),
        ({"address": "0x" + "1" * 40, "chain": ["ethereum"]}, "chain"),
        ({"address": "0x" + "1" * 40, "chain": "ethereum", "label": 5}, "label"),
        ({"address": "0x" + "1" * 40, "chain": "ethereum", "label": {"a": 1}}, "label"),
        ({"address": "0x" + "1" * 40, "chain": "ethereum", "balance": 1}, "balance"),
        ({"address": "0x" + "1" * 40, "chain": "ethereum", "id": str(uuid.uuid4())}, "id"),
        ({"address": "0x" + "1" * 40, "chain": "ethereum", "label": "x" * 101}, "label"),
    ],
)
def test_bad_body_names_the_field(api, body, field):
    assert_problem(api.post("/api/v1/wallets", json=body), 400, field)


@pytest.mark.parametrize(
    "data", ["not json", "{", "[]", '"text"', "42", "null", ""], ids=["text", "truncated", "array", "string", "number", "null", "empty"]
)
def test_body_not_a_json_object(api, data):
    assert_problem(api.post("/api/v1/wallets", data=data, headers={"content-type": "application/json"}), 400)


def test_label_limits_and_trimming(api):
    exactly = api.post("/api/v1/wallets", json={"address": random_evm_address(), "chain": "bsc", "label": "é" * 100})
    assert exactly.status_code == 201, exactly.text
    assert exactly.json()["label"] == "é" * 100
    trimmed = api.post("/api/v1/wallets", json={"address": random_evm_address(), "chain": "bsc", "label": "  cold  "})
    assert trimmed.json()["label"] == "cold"


# --- list -------------------------------------------------------------------------------


def test_list_pages_in_creation_order(api):
    # Only this test adds wallets on "polygon" with labels starting "page-".
    created = [add_wallet_via(api, "polygon", f"page-{i}") for i in range(7)]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3, "chain": "polygon"}
        if cursor:
            params["cursor"] = cursor
        response = api.get("/api/v1/wallets", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"wallets", "next_cursor"}
        assert len(body["wallets"]) <= 3
        assert all(w["chain"] == "polygon" for w in body["wallets"])
        seen += body["wallets"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        assert isinstance(cursor, str) and cursor
        assert pages < 50
    ours = [w["id"] for w in seen if (w["label"] or "").startswith("page-")]
    assert ours == [w["id"] for w in created]
    assert len({w["id"] for w in seen}) == len(seen), "no wallet on two pages"
    everything = api.get("/api/v1/wallets", params={"limit": 500}).json()["wallets"]
    created_times = [w["created_at"] for w in everything]
    assert created_times == sorted(created_times)


def add_wallet_via(api, chain, label):
    response = api.post("/api/v1/wallets", json={"address": random_evm_address(), "chain": chain, "label": label})
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("limit", ["0", "501", "-1", "abc", "1.5", ""])
def test_list_bad_limit(api, limit):
    assert_problem(api.get("/api/v1/wallets", params={"limit": limit}), 400, "limit")


@pytest.mark.parametrize("limit", ["1", "500"])
def test_list_limit_bounds(api, limit):
    response = api.get("/api/v1/wallets", params={"limit": limit})
    assert response.status_code == 200
    assert len(response.json()["wallets"]) <= int(limit)


@pytest.mark.parametrize("cursor", ["garbage!", "bm90IGEgY3Vyc29y", "MTIzOm5vdC1hLXV1aWQ"])
def test_list_bad_cursor(api, cursor):
    assert_problem(api.get("/api/v1/wallets", params={"cursor": cursor}), 400, "cursor")


def test_list_unknown_chain_filter(api):
    problem = assert_problem(api.get("/api/v1/wallets", params={"chain": "dogecoin"}), 400, "chain")
    assert problem["supported_chains"] == SUPPORTED_CHAINS


# --- read, relabel, delete --------------------------------------------------------------


def test_patch_label(api):
    wallet = add_wallet_via(api, "base", "before")
    path = f"/api/v1/wallets/{wallet['id']}"
    renamed = api.patch(path, json={"label": "after"})
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert body["label"] == "after"
    assert body["id"] == wallet["id"] and body["address"] == wallet["address"]
    assert body["created_at"] == wallet["created_at"]
    assert TIMESTAMP_RE.match(body["updated_at"]) and body["updated_at"] >= wallet["updated_at"]
    assert api.get(path).json()["label"] == "after"
    cleared = api.patch(path, json={"label": None})
    assert cleared.status_code == 200 and cleared.json()["label"] is None
    assert_problem(api.patch(path, json={}), 400, "label")
    assert_problem(api.patch(path, json={"label": "x", "chain": "bsc"}), 400, "chain")
    assert_problem(api.patch(path, json={"label": 7}), 400, "label")
    assert_problem(api.patch(path, json={"label": "y" * 101}), 400, "label")
    assert_problem(api.patch(path, data="nope", headers={"content-type": "application/json"}), 400)
    assert api.get(path).json()["label"] is None


def test_delete(api):
    wallet = add_wallet_via(api, "base", "doomed")
    path = f"/api/v1/wallets/{wallet['id']}"
    deleted = api.delete(path)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_problem(api.get(path), 404)
    assert_problem(api.delete(path), 404)
    assert_problem(api.patch(path, json={"label": "x"}), 404)
    # Deleted means it can be added again.
    again = api.post("/api/v1/wallets", json={"address": wallet["address"], "chain": "base"})
    assert again.status_code == 201 and again.json()["id"] != wallet["id"]


@pytest.mark.parametrize("wallet_id", [str(uuid.uuid4()), "not-a-uuid", "1234", "%20"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_or_malformed_id_is_404(api, method, wallet_id):
    kwargs = {"json": {"label": "x"}} if method == "PATCH" else {}
    assert_problem(api.request(method, f"/api/v1/wallets/{wallet_id}", **kwargs), 404)


# --- probes -----------------------------------------------------------------------------


def test_health(api):
    before = api.get("/api/v1/health")
    assert before.status_code == 200
    body = before.json()
    # Overall is ok only while every chain is (this server's chains are public nodes it may not reach).
    statuses = {state["status"] for state in body["chains"].values()}
    assert statuses <= {"ok", "degraded", "down"}, statuses
    assert body["status"] == ("ok" if statuses == {"ok"} else "degraded"), body
    assert body["database"] == "ok"
    assert isinstance(body["version"], str) and body["version"]
    assert sorted(body["chains"]) == SUPPORTED_CHAINS
    assert all("last_success" in state and "head" in state for state in body["chains"].values())
    add_wallet_via(api, "arbitrum", "counted")
    assert api.get("/api/v1/health").json()["wallets"] == body["wallets"] + 1


def test_ready_and_live(api):
    ready = api.get("/api/v1/ready")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    live = api.get("/api/v1/live")
    assert live.status_code == 200 and live.json() == {"status": "alive"}


def test_head_on_a_get_route(api):
    response = api.request("HEAD", "/api/v1/live")
    assert response.status_code == 200
    assert response.content == b""


# --- HTTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v2/wallets", "/api/v1/wallets/a/b", "/nope.html"])
def test_unknown_path_is_404_problem(api, path):
    assert_problem(api.get(path), 404)


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("PUT", "/api/v1/wallets", {"GET", "POST"}),
        ("DELETE", "/api/v1/wallets", {"GET", "POST"}),
        ("POST", f"/api/v1/wallets/{uuid.uuid4()}", {"GET", "PATCH", "DELETE"}),
        ("POST", "/api/v1/health", {"GET"}),
        ("DELETE", "/api/v1/live", {"GET"}),
    ],
)
def test_wrong_method_is_405_with_allow(api, method, path, allowed):
    response = api.request(method, path, json={})
    assert_problem(response, 405)
    allow = {part.strip() for part in response.headers["allow"].split(",")}
    assert allowed <= allow, allow
    assert allow <= allowed | {"HEAD", "OPTIONS"}, allow


def test_body_over_one_mebibyte_is_413(server):
    # A fresh connection: the server may close it after refusing the body.
    body = json.dumps({"address": random_evm_address(), "chain": "ethereum", "label": "x" * (1 << 20)})
    response = requests.post(server.url("/api/v1/wallets"), data=body,
                             headers={"content-type": "application/json"}, timeout=10)
    assert_problem(response, 413)


def test_body_just_under_the_limit_is_read(server):
    # 1 MiB exactly is allowed; the label is too long, so a 400 (not 413) proves it was parsed.
    prefix = json.dumps({"address": random_evm_address(), "chain": "ethereum", "label": ""})[:-2]
    body = prefix + "x" * ((1 << 20) - len(prefix) - 2) + '"}'
    assert len(body.encode()) == 1 << 20
    response = requests.post(server.url("/api/v1/wallets"), data=body,
                             headers={"content-type": "application/json"}, timeout=10)
    assert_problem(response, 400, "label")


def test_static_index(api):
    response = api.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == (REPO_ROOT / "web-static" / "index.html").read_bytes()


def test_static_index_head(api):
    response = api.request("HEAD", "/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == b""


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize("path", ["/", "/index.html"])
def test_static_paths_refuse_other_methods(server, method, path):
    response = requests.request(method, server.url(path), data="x", timeout=5)
    assert_problem(response, 405)
    assert {m.strip() for m in response.headers["allow"].split(",")} == {"GET", "HEAD"}


def test_keep_alive_50_requests_on_one_connection(server, monkeypatch):
    # Count real TCP connects (urllib3 reuses its connection object across reconnects, so its
    # pool counters cannot tell).
    connects = []
    original_connect = urllib3.connection.HTTPConnection.connect

    def counting_connect(self):
        original_connect(self)
        connects.append(self.sock.getsockname())

    monkeypatch.setattr(urllib3.connection.HTTPConnection, "connect", counting_connect)
    with requests.Session() as session:
        for i in range(50):
            kind = i % 5
            if kind == 0:
                response = session.post(server.url("/api/v1/wallets"),
                                        json={"address": random_evm_address(), "chain": "ethereum"}, timeout=5)
                expected = 201
            elif kind == 1:
                response = session.get(server.url("/api/v1/wallets"), params={"limit": 5}, timeout=5)
                expected = 200
            elif kind == 2:
                response = session.get(server.url(f"/api/v1/wallets/{uuid.uuid4()}"), timeout=5)
                expected = 404
            elif kind == 3:
                response = session.get(server.url("/api/v1/health"), timeout=5)
                expected = 200
            else:
                response = session.get(server.url("/"), timeout=5)
                expected = 200
            assert response.status_code == expected, (i, response.status_code, response.text[:200])
            assert response.headers.get("connection", "").lower() != "close", (i, response.headers)
    assert len(connects) == 1, f"{len(connects)} TCP connections for 50 requests: {connects}"


# --- rate limit -------------------------------------------------------------------------


def test_rate_limit(server_factory):
    # A long window so that the test cannot straddle a window boundary.
    limited = server_factory.start(env=base_environment(RATE_LIMIT_REQUESTS="5", RATE_LIMIT_WINDOW_SECONDS="3600"))
    with requests.Session() as session:
        for path in ["/api/v1/live", "/api/v1/ready", "/api/v1/health"] * 4:
            assert session.get(limited.url(path), timeout=5).status_code == 200, path
        for _ in range(5):
            assert session.get(limited.url("/api/v1/wallets"), timeout=5).status_code == 200
        refused = session.post(limited.url("/api/v1/wallets"),
                               json={"address": random_evm_address(), "chain": "ethereum"}, timeout=5)
        assert_problem(refused, 429)
        retry_after = refused.headers.get("retry-after")
        assert retry_after is not None and retry_after.isdigit(), refused.headers
        assert 1 <= int(retry_after) <= 3600
        assert_problem(session.get(limited.url("/api/v1/wallets"), timeout=5), 429)
        assert_problem(session.get(limited.url("/api/v1/nope"), timeout=5), 429)
        # Probes stay exempt once the budget is spent.
        for path in ["/api/v1/live", "/api/v1/ready", "/api/v1/health"]:
            assert session.get(limited.url(path), timeout=5).status_code == 200, path
        # The refused POST did not add a wallet.
        assert session.get(limited.url("/api/v1/health"), timeout=5).json()["wallets"] == 0


# --- raw HTTP edge cases ------------------------------------------------------------------


def raw_request(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Sends `data` in one write and reads until the server closes or `timeout` passes."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
        except socket.timeout:
            pass
    return received


def parse_responses(data: bytes) -> list[tuple[int, dict[str, str], bytes]]:
    """Splits a byte stream into (status, headers, body) responses framed by content-length."""
    responses = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        if not separator:
            break
        status_line, headers = parse_head(head)
        length = int(headers.get("content-length", "0"))
        responses.append((int(status_line.split(" ")[1]), headers, rest[:length]))
        data = rest[length:]
    return responses


def assert_raw_problem(response: tuple[int, dict[str, str], bytes], status: int) -> dict:
    got_status, headers, body = response
    assert got_status == status, response
    assert headers.get("content-type", "").startswith("application/problem+json"), headers
    problem = json.loads(body)
    assert problem["status"] == status
    assert {"type", "title", "detail"} <= problem.keys(), problem
    return problem


def wallet_post(body: bytes, extra_headers: str = "") -> bytes:
    return (
        b"POST /api/v1/wallets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + extra_headers.encode() + b"Content-Length: %d\r\n\r\n" % len(body) + body
    )


def assert_answers_promptly(server) -> None:
    """The service thread is not stuck: a fresh connection gets its answer at once."""
    started = time.monotonic()
    assert requests.get(server.url("/api/v1/live"), timeout=2).status_code == 200
    assert time.monotonic() - started < 1.0


def test_pipelined_get_then_post_both_answered_without_spinning(server_factory):
    # lws 4.1 cannot read a body pipelined behind another request: the POST must be refused
    # with a status, in order, and the service thread must stay responsive.
    server = server_factory.start()
    body = json.dumps({"address": random_evm_address(), "chain": "ethereum"}).encode()
    data = raw_request(server.port, b"GET /api/v1/live HTTP/1.1\r\nHost: x\r\n\r\n" + wallet_post(body))
    responses = parse_responses(data)
    assert len(responses) == 2, data
    assert responses[0][0] == 200 and json.loads(responses[0][2]) == {"status": "alive"}, responses[0]
    problem = assert_raw_problem(responses[1], 501)
    assert "pipelined" in problem["detail"], problem
    assert responses[1][1].get("connection") == "close", responses[1]
    assert_answers_promptly(server)
    assert requests.get(server.url("/api/v1/health"), timeout=5).json()["wallets"] == 0
    assert server.stop() == 0


def test_pipelined_post_then_get_both_answered_in_order(server):
    address = random_evm_address()
    body = json.dumps({"address": address, "chain": "ethereum"}).encode()
    data = raw_request(
        server.port,
        wallet_post(body) + b"GET /api/v1/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    responses = parse_responses(data)
    assert [status for status, _, _ in responses] == [201, 200], data
    created = json.loads(responses[0][2])
    assert created["address"].lower() == address
    assert requests.get(server.url(f"/api/v1/wallets/{created['id']}"), timeout=5).status_code == 200


def test_chunked_body_is_read(server):
    address = random_evm_address()
    body = json.dumps({"address": address, "chain": "ethereum", "label": "chunked"}).encode()
    chunks = [body[:10], body[10:11], body[11:]]
    encoded = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\nX-Trailer: t\r\n\r\n"
    data = raw_request(
        server.port,
        b"POST /api/v1/wallets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + encoded)
    responses = parse_responses(data)
    assert len(responses) == 1, data
    status, headers, answer = responses[0]
    assert status == 201, responses
    created = json.loads(answer)
    assert created["address"].lower() == address and created["label"] == "chunked"
    assert requests.get(server.url(f"/api/v1/wallets/{created['id']}"), timeout=5).status_code == 200


@pytest.mark.parametrize(
    "head, body, status",
    [
        ("POST /api/v1/wallets HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", b"zz\r\n{}\r\n0\r\n\r\n", 400),
        ("POST /api/v1/wallets HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", b"2\r\n{}XX0\r\n\r\n", 400),
        ("POST /api/v1/wallets HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n", b"0\r\n\r\n", 501),
        ("POST /api/v1/wallets HTTP/1.1\r\nTransfer-Encoding: gzip\r\n", b"{}", 400),
        ("POST /api/v1/wallets HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 7\r\n",
         b"2\r\n{}\r\n0\r\n\r\n", 400),
        (f"DELETE /api/v1/wallets/{uuid.uuid4()} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n",
         b"0\r\n\r\n", 411),
        ("POST /api/v1/wallets HTTP/1.1\r\nContent-Length: -5\r\n", b"", 400),
    ],
    ids=["bad-size", "no-crlf-after-data", "gzip-chunked", "gzip", "chunked-and-length", "chunked-delete",
         "negative-length"],
)
def test_bad_body_framing_is_refused_at_once(server, head, body, status):
    started = time.monotonic()
    data = raw_request(server.port, (head + "Host: x\r\nContent-Type: application/json\r\n\r\n").encode() + body)
    responses = parse_responses(data)
    assert responses, data
    assert_raw_problem(responses[0], status)
    assert time.monotonic() - started < 3


def test_slowloris_peers_do_not_delay_other_clients(server_factory):
    server = server_factory.start()
    peers = []
    try:
        # Each peer sends the first bytes of its headers and no more, holding a header table.
        for _ in range(300):
            peer = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            peer.sendall(b"GET /api/v1/live HTTP/1.1\r\nX-Slow: a")
            peers.append(peer)
        time.sleep(0.5)
        for _ in range(5):
            started = time.monotonic()  # a new connection each time, needing a header table
            assert requests.get(server.url("/api/v1/live"), timeout=3).status_code == 200
            assert time.monotonic() - started < 1.0
    finally:
        for peer in peers:
            peer.close()


def test_headers_sent_too_slowly_are_dropped(server):
    # A peer that never finishes its headers is closed after the idle limit (5 s).
    with socket.create_connection(("127.0.0.1", server.port), timeout=15) as peer:
        peer.sendall(b"GET /api/v1/live HTTP/1.1\r\n")
        started = time.monotonic()
        peer.settimeout(15)
        try:
            assert peer.recv(1024) == b""
        except ConnectionResetError:
            pass
        assert time.monotonic() - started < 9


@pytest.mark.parametrize(
    "target",
    ["/api/v1/" + "a" * 9000, "/api/v1/wallets?cursor=" + "a" * 9000, "/" + "b" * 100_000],
    ids=["long-path", "long-query", "huge-path"],
)
def test_too_long_url_is_414(server, target):
    data = raw_request(server.port, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    responses = parse_responses(data)
    assert responses, data
    problem = assert_raw_problem(responses[0], 414)
    assert problem["limit_bytes"] == 8192


@pytest.mark.parametrize("name", ["User-Agent", "Cookie", "Referer", "Authorization"])
@pytest.mark.parametrize("size", [5000, 100_000])
def test_too_long_header_is_431(server, name, size):
    data = raw_request(server.port, f"GET /api/v1/live HTTP/1.1\r\nHost: x\r\n{name}: {'a' * size}\r\n\r\n".encode())
    responses = parse_responses(data)
    assert responses, data
    problem = assert_raw_problem(responses[0], 431)
    assert problem["header"] == name.lower(), problem


def test_headers_within_limits_are_served(server):
    response = requests.get(
        server.url("/api/v1/wallets"), params={"cursor": "", "limit": "5", "x": "a" * 7000},
        headers={"User-Agent": "a" * 4000, "X-Custom": "b" * 3000}, timeout=5)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/wallets/%00", "/api/v1/%00wallets", "/api/v1/wallets/%00?limit=1", "/api/v1/wallets%01",
        "/api/v1/wallets%1b", "/api/v1/wallets%7f", "/api/v1/wallets%0a", "/api/v1/wallets%0d%0a",
        "/index.html%0a", "/%00",
    ],
)
def test_control_character_in_path_is_400(server, path):
    data = raw_request(server.port, f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    responses = parse_responses(data)
    assert responses, data
    problem = assert_raw_problem(responses[0], 400)
    assert "path" in problem, problem
    assert "control character" in problem["detail"] or "line break" in problem["detail"], problem


def test_nul_that_lws_rejects_is_never_served(server):
    # lws 4.1 drops this request while parsing, before the server sees it; it must not be a 200.
    data = raw_request(server.port, b"GET /api/v1/wallets%00 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert not data.startswith(b"HTTP/1.1 200"), data


@pytest.mark.parametrize("method", ["FOO", "TRACE", "PROPFIND", "BREW"])
def test_unknown_method_is_501(server, method):
    data = raw_request(server.port, f"{method} /api/v1/wallets HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    responses = parse_responses(data)
    assert len(responses) == 1, data
    problem = assert_raw_problem(responses[0], 501)
    assert problem["method"] == method and method in problem["detail"], problem


def test_connect_is_refused_at_once(server):
    started = time.monotonic()
    data = raw_request(server.port, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", timeout=5)
    assert time.monotonic() - started < 2
    responses = parse_responses(data)
    assert len(responses) == 1, data
    problem = assert_raw_problem(responses[0], 501)
    assert problem["method"] == "CONNECT", problem
