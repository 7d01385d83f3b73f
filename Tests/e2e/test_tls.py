"""HTTPS and WSS on the server's one port, with a self-signed certificate made by the `openssl`
command as the README shows; clients verify against that certificate. Bad certificate or key
files fail the start naming their key."""

from __future__ import annotations

import json
import ssl
import subprocess
from pathlib import Path

import pytest
import requests
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from conftest import base_environment, random_evm_address


def make_certificate(directory: Path, name: str = "server") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key (README's command)."""
    cert, key = directory / f"{name}.crt", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def tls_server(module_factory, certificate):
    cert, key = certificate
    # TLS_CERT and TLS_KEY, as the issue names them; SERVER_TLS_CERT and SERVER_TLS_KEY work too.
    return module_factory.start(env=base_environment(TLS_CERT=str(cert), TLS_KEY=str(key)))


def client_context(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert))


def test_the_server_announces_https(tls_server):
    assert tls_server.scheme == "https"
    assert f"url=https://127.0.0.1:{tls_server.port}/" in tls_server.stderr_text


def test_https_requests_verified_against_the_certificate(tls_server, certificate):
    cert, _ = certificate
    health = requests.get(tls_server.url("/api/v1/health"), verify=str(cert), timeout=5)
    assert health.status_code == 200 and "version" in health.json(), health.text
    assert health.headers["x-content-type-options"] == "nosniff"
    page = requests.get(tls_server.url("/"), verify=str(cert), timeout=5)
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    # The page's own origin is now https://…; a write from it is accepted.
    created = requests.post(tls_server.url("/api/v1/wallets"), verify=str(cert), timeout=5,
                            json={"chain": "ethereum", "address": random_evm_address()},
                            headers={"origin": tls_server.base_url})
    assert created.status_code == 201, created.text
    foreign = requests.post(tls_server.url("/api/v1/wallets"), verify=str(cert), timeout=5,
                            json={"chain": "ethereum", "address": random_evm_address()},
                            headers={"origin": f"http://127.0.0.1:{tls_server.port}"})
    assert foreign.status_code == 403, foreign.text


def test_a_client_that_does_not_trust_the_certificate_is_refused(tls_server):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_server.url("/api/v1/live"), timeout=5)  # the system's CAs only


def test_plain_http_on_the_tls_port_gets_no_answer(tls_server):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{tls_server.port}/api/v1/live", timeout=5)


def test_wss_subscribe(tls_server, certificate):
    cert, _ = certificate
    assert tls_server.ws_url.startswith("wss://")
    with connect(tls_server.ws_url, ssl=client_context(cert), origin=tls_server.base_url, open_timeout=10) as ws:
        ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        snapshot = json.loads(ws.recv(timeout=5))
        assert snapshot["type"] == "snapshot" and snapshot["topic"] == "portfolio", snapshot
    with pytest.raises(InvalidStatus) as refused:
        with connect(tls_server.ws_url, ssl=client_context(cert), origin="https://evil.example", open_timeout=10):
            pass
    assert refused.value.response.status_code == 403


# --- bad files --------------------------------------------------------------------------------


def config_error_exit_code(server_factory, tmp_path) -> int:
    """The exit code of a start with a bad value that has nothing to do with TLS."""
    result = server_factory.run(["serve", "--database", str(tmp_path / "never.sqlite")],
                                env=base_environment(SERVER_PORT="abc"), timeout=15)
    assert "server.port" in result.stderr, result.stderr
    return result.returncode


@pytest.fixture
def bad_files(tmp_path, certificate) -> dict[str, Path]:
    cert, key = certificate
    other_cert, other_key = make_certificate(tmp_path, "other")
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n")
    encrypted = tmp_path / "encrypted.key"
    subprocess.run(["openssl", "pkey", "-in", str(key), "-aes256", "-passout", "pass:secret", "-out", str(encrypted)],
                   check=True, capture_output=True)
    return {"cert": cert, "key": key, "other_key": other_key, "junk": junk, "encrypted": encrypted,
            "missing": tmp_path / "missing.pem", "directory": tmp_path}


@pytest.mark.parametrize(
    "cert, key, named, says",
    [
        ("missing", "key", "server.tls_cert", "no file"),
        ("cert", "missing", "server.tls_key", "no file"),
        ("directory", "key", "server.tls_cert", "directory"),
        ("junk", "key", "server.tls_cert", "not a PEM certificate"),
        ("key", "key", "server.tls_cert", "not a PEM certificate"),
        ("cert", "junk", "server.tls_key", "not an unencrypted PEM private key"),
        ("cert", "encrypted", "server.tls_key", "not an unencrypted PEM private key"),
        ("cert", "other_key", "server.tls_key", "does not belong"),
        ("cert", None, "server.tls_key", "required"),
        (None, "key", "server.tls_cert", "required"),
    ],
)
def test_bad_tls_files_fail_the_start_naming_the_key(server_factory, tmp_path, bad_files, cert, key, named, says):
    env = base_environment()
    if cert:
        env["SERVER_TLS_CERT"] = str(bad_files[cert])
    if key:
        env["TLS_KEY"] = str(bad_files[key])
    database = tmp_path / "never.sqlite"
    result = server_factory.run(["serve", "--port", "0", "--database", str(database)], env=env, timeout=15)
    output = result.stderr + result.stdout
    assert result.returncode == config_error_exit_code(server_factory, tmp_path) != 0, output
    assert named in output and says in output, output
    assert "listening" not in output
    assert not database.exists()
