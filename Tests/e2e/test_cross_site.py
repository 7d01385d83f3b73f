"""Another site's page cannot act on the server: writes and stream upgrades that a browser marks
as coming from a foreign origin are refused (403), bodies must be JSON (or CSV for the import)
so no form or text body gets through without one, CORS answers only the listed origins, and
every response carries the security headers."""

from __future__ import annotations

import json
import socket

import pytest
import requests
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from conftest import add_wallet, base_environment, parse_head, random_evm_address

LISTED = "https://app.example.com"
LISTED_TOO = "http://localhost:3000"
FOREIGN = "https://evil.example"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


@pytest.fixture(scope="module")
def server(module_factory):
    # The issue's own name for the list, CORS_ALLOWED_ORIGINS; spelled loosely on purpose.
    env = base_environment(CORS_ALLOWED_ORIGINS=f" {LISTED}:443 , HTTP://LOCALHOST:3000")
    return module_factory.start(env=env)


def wallet_body() -> dict:
    return {"chain": "ethereum", "address": random_evm_address()}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"], problem
    return problem


def assert_security_headers(headers, static: bool = False) -> None:
    headers = {name.lower(): value for name, value in headers.items()}
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, headers
    if static:
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
    else:
        assert policy.startswith("default-src 'none'"), policy


def all_wallets(server) -> list[dict]:
    return requests.get(server.url("/api/v1/wallets?limit=500"), timeout=5).json()["wallets"]


# --- writes from other sites ------------------------------------------------------------------


@pytest.mark.parametrize("origin", [FOREIGN, "null", "http://127.0.0.1:1", "https://app.example.com.evil.example"])
def test_a_foreign_origin_changes_nothing(server, origin):
    wallet = add_wallet(server, label="kept")
    before = all_wallets(server)
    headers = {"origin": origin}
    attempts = [
        requests.post(server.url("/api/v1/wallets"), json=wallet_body(), headers=headers, timeout=5),
        requests.patch(server.url(f"/api/v1/wallets/{wallet['id']}"), json={"label": "stolen"}, headers=headers,
                       timeout=5),
        requests.delete(server.url(f"/api/v1/wallets/{wallet['id']}"), headers=headers, timeout=5),
        requests.post(server.url("/api/v1/wallets/import"), data=f"chain,address\nethereum,{random_evm_address()}\n",
                      headers={**headers, "content-type": "text/csv"}, timeout=5),
        # A form or text body is refused for its origin first.
        requests.post(server.url("/api/v1/wallets"), data=json.dumps(wallet_body()),
                      headers={**headers, "content-type": "text/plain"}, timeout=5),
        requests.post(server.url(f"/api/v1/wallets/{wallet['id']}/fetch"), headers=headers, timeout=5),
    ]
    for response in attempts:
        problem = assert_problem(response, 403)
        assert origin in problem["detail"], problem
        assert problem["origin"] == origin
        assert "access-control-allow-origin" not in response.headers
    assert all_wallets(server) == before
    assert requests.get(server.url(f"/api/v1/wallets/{wallet['id']}"), timeout=5).json()["label"] == "kept"


def test_a_cross_site_write_without_origin_is_refused(server):
    before = all_wallets(server)
    response = requests.post(server.url("/api/v1/wallets"), json=wallet_body(),
                             headers={"sec-fetch-site": "cross-site"}, timeout=5)
    assert "cross-site" in assert_problem(response, 403)["detail"]
    assert all_wallets(server) == before


def test_the_server_own_origin_and_clients_without_origin_may_write(server):
    own = {"origin": server.base_url, "sec-fetch-site": "same-origin"}
    created = requests.post(server.url("/api/v1/wallets"), json=wallet_body(), headers=own, timeout=5)
    assert created.status_code == 201, created.text
    assert "access-control-allow-origin" not in created.headers  # same origin needs no CORS
    path = f"/api/v1/wallets/{created.json()['id']}"
    renamed = requests.patch(server.url(path), json={"label": "mine"}, headers=own, timeout=5)
    assert renamed.status_code == 200 and renamed.json()["label"] == "mine", renamed.text
    # The own origin is the one the Host header names, however it is spelled.
    for host, origin in [(f"Portfolio.Local:{server.port}", f"http://portfolio.local:{server.port}"),
                         ("portfolio.local:80", "HTTP://PORTFOLIO.LOCAL")]:
        named = requests.patch(server.url(path), json={"label": None}, headers={"host": host, "origin": origin},
                               timeout=5)
        assert named.status_code == 200, named.text
    assert requests.delete(server.url(path), headers=own, timeout=5).status_code == 204
    # curl, scripts and other servers send no Origin.
    plain = requests.post(server.url("/api/v1/wallets"), json=wallet_body(), timeout=5)
    assert plain.status_code == 201, plain.text


def test_a_proxy_that_terminates_tls_keeps_the_pages_own_origin(server):
    origin = server.base_url.replace("http://", "https://")
    refused = requests.post(server.url("/api/v1/wallets"), json=wallet_body(), headers={"origin": origin}, timeout=5)
    assert_problem(refused, 403)
    forwarded = {"origin": origin, "x-forwarded-proto": "https"}
    created = requests.post(server.url("/api/v1/wallets"), json=wallet_body(), headers=forwarded, timeout=5)
    assert created.status_code == 201, created.text


@pytest.mark.parametrize("origin", [LISTED, LISTED_TOO])
def test_a_listed_origin_may_write_and_read_with_cors_headers(server, origin):
    created = requests.post(server.url("/api/v1/wallets"), json=wallet_body(), headers={"origin": origin}, timeout=5)
    assert created.status_code == 201, created.text
    assert created.headers["access-control-allow-origin"] == origin  # the origin, never *
    assert "Origin" in created.headers["vary"]
    assert "Location" in created.headers["access-control-expose-headers"]
    listed = requests.get(server.url("/api/v1/wallets"), headers={"origin": origin}, timeout=5)
    assert listed.headers["access-control-allow-origin"] == origin
    path = f"/api/v1/wallets/{created.json()['id']}"
    assert requests.delete(server.url(path), headers={"origin": origin}, timeout=5).status_code == 204


def test_a_foreign_read_gets_no_cors_headers(server):
    response = requests.get(server.url("/api/v1/wallets"), headers={"origin": FOREIGN}, timeout=5)
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    assert "Origin" in response.headers["vary"]  # a cache must not serve it to a listed origin


# --- preflight --------------------------------------------------------------------------------


def preflight(server, origin: str, method: str = "DELETE", path: str = "/api/v1/wallets/x"):
    return requests.options(server.url(path), timeout=5, headers={
        "origin": origin, "access-control-request-method": method,
        "access-control-request-headers": "authorization, content-type",
    })


def test_a_preflight_from_a_listed_origin_is_204(server):
    response = preflight(server, LISTED)
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == LISTED
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "PATCH", "DELETE"} <= methods
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert "Origin" in response.headers["vary"]
    assert response.headers.get("access-control-allow-credentials") is None
    assert_security_headers(response.headers)


@pytest.mark.parametrize("origin", [FOREIGN, "null", "https://app.example.com:8443"])
def test_a_preflight_from_another_origin_is_403(server, origin):
    response = preflight(server, origin, method="POST", path="/api/v1/wallets")
    assert origin in assert_problem(response, 403)["detail"]
    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-methods" not in response.headers
    assert "Origin" in response.headers["vary"]


def test_options_without_a_preflight_still_lists_the_methods(server):
    response = requests.options(server.url("/api/v1/wallets"), timeout=5)
    assert response.status_code == 204
    assert "POST" in response.headers["allow"]


# --- body types -------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
def test_a_body_that_is_not_json_is_415_and_adds_nothing(server, content_type):
    before = all_wallets(server)
    headers = {"content-type": content_type} if content_type else {}
    # requests sends no Content-Type for bytes unless told.
    response = requests.post(server.url("/api/v1/wallets"), data=json.dumps(wallet_body()).encode(),
                             headers=headers, timeout=5)
    problem = assert_problem(response, 415)
    assert "application/json" in problem["detail"] and problem["accepted_types"] == ["application/json"]
    assert response.headers["accept-post"] == "application/json"
    assert all_wallets(server) == before


def test_json_with_parameters_is_taken(server):
    response = requests.post(server.url("/api/v1/wallets"), data=json.dumps(wallet_body()),
                             headers={"content-type": "Application/JSON; charset=utf-8"}, timeout=5)
    assert response.status_code == 201, response.text


def test_the_import_takes_csv_and_json_only(server):
    url = server.url("/api/v1/wallets/import")
    text = f"chain,address\nethereum,{random_evm_address()}\n"
    assert requests.post(url, data=text, headers={"content-type": "text/csv"}, timeout=5).status_code == 200
    assert requests.post(url, json=[wallet_body()], timeout=5).status_code == 200
    refused = requests.post(url, data=text, headers={"content-type": "text/plain"}, timeout=5)
    problem = assert_problem(refused, 415)
    assert "application/json or text/csv" in problem["detail"]
    assert problem["accepted_types"] == ["application/json", "text/csv"]


def test_a_patch_and_a_delete_with_a_text_body_are_415(server):
    wallet = add_wallet(server, label="same")
    path = server.url(f"/api/v1/wallets/{wallet['id']}")
    patched = requests.patch(path, data='{"label":"x"}', headers={"content-type": "text/plain"}, timeout=5)
    assert_problem(patched, 415)
    assert patched.headers["accept-patch"] == "application/json"
    deleted = requests.delete(path, data="x", headers={"content-type": "text/plain"}, timeout=5)
    assert_problem(deleted, 415)
    assert requests.get(path, timeout=5).json()["label"] == "same"
    # Without a body, a write needs no type.
    assert requests.delete(path, timeout=5).status_code == 204


# --- the stream -------------------------------------------------------------------------------


def raw_upgrade(port: int, headers: dict[str, str]) -> tuple[str, dict[str, str], bytes]:
    lines = ["GET /api/v1/stream HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket", "Connection: Upgrade",
             "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data and b" 101 " in data.split(b"\r\n", 1)[0]:
                break
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, parsed = parse_head(head)
    return status_line, parsed, body


@pytest.mark.parametrize("extra", [{}, {"Authorization": "Bearer some-token"}], ids=["no auth", "with auth"])
def test_a_foreign_origin_cannot_open_the_stream(server, extra):
    status_line, headers, body = raw_upgrade(server.port, {"Origin": FOREIGN, **extra})
    assert status_line.split(" ")[1] == "403", status_line
    assert "sec-websocket-accept" not in headers
    assert headers["content-type"].startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == 403 and FOREIGN in problem["detail"]
    assert_security_headers(headers)
    with pytest.raises(InvalidStatus) as refused:
        with connect(server.ws_url, origin=FOREIGN, additional_headers=extra, open_timeout=5):
            pass
    assert refused.value.response.status_code == 403


@pytest.mark.parametrize("origin", ["own", LISTED, None])
def test_the_own_a_listed_or_no_origin_opens_the_stream(server, origin):
    origin = server.base_url if origin == "own" else origin
    with connect(server.ws_url, origin=origin, open_timeout=5) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        assert json.loads(ws.recv(timeout=5))["type"] == "snapshot"


# --- security headers -------------------------------------------------------------------------


def test_security_headers_on_api_static_and_error_answers(server):
    cases = [
        (requests.get(server.url("/api/v1/health"), timeout=5), 200, False),
        (requests.get(server.url("/"), timeout=5), 200, True),
        (requests.get(server.url("/js/app.js"), timeout=5), 200, True),
        (requests.get(server.url("/styles.css"), timeout=5), 200, True),
        (requests.get(server.url("/no-such-page"), timeout=5), 404, False),
        (requests.get(server.url("/api/v1/wallets/nope"), timeout=5), 404, False),
        (requests.post(server.url("/api/v1/wallets"), json={"chain": "dogecoin"}, timeout=5), 400, False),
        (requests.put(server.url("/index.html"), data="x", timeout=5), 405, False),
        (requests.post(server.url("/api/v1/wallets"), data="x", headers={"content-type": "text/plain"}, timeout=5),
         415, False),
    ]
    for response, status, static in cases:
        assert response.status_code == status, (response.request.method, response.url, response.text)
        assert_security_headers(response.headers, static=static)


def test_security_headers_on_answers_written_before_routing(server):
    # An unknown method is answered from the raw connection, outside lws' header helpers.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"FOO /api/v1/wallets HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, headers = parse_head(data.partition(b"\r\n\r\n")[0])
    assert " 501 " in status_line, status_line
    assert_security_headers(headers)


# --- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["*", "null", "https://app.example.com/", "app.example.com", "ftp://x.example"])
def test_a_bad_origin_in_the_list_fails_the_start(server_factory, tmp_path, value):
    result = server_factory.run(
        ["serve", "--port", "0", "--database", str(tmp_path / "never.sqlite")],
        env=base_environment(SERVER_CORS_ALLOWED_ORIGINS=f"{LISTED},{value}"), timeout=15)
    output = result.stderr + result.stdout
    assert result.returncode == 2, output  # as every bad value
    assert "server.cors_allowed_origins" in output and value in output, output
    assert not (tmp_path / "never.sqlite").exists()
