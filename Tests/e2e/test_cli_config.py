"""The command line and configuration: bad values fail the start naming the key, the layers'
precedence, DATABASE_URL, JSON logs, --help."""

from __future__ import annotations

import json
import re
import socket
import time

import pytest
import requests

from conftest import base_environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize(
    "env, args, key",
    [
        ({"SERVER_PORT": "abc"}, [], "server.port"),
        ({}, ["--port", "99999"], "server.port"),
        ({}, ["--port=-1"], "server.port"),
        ({"LOG_LEVEL": "loud"}, [], "log.level"),
        ({"LOG_FORMAT": "xml"}, [], "log.format"),
        ({"ETHEREUM_RPC_URL": "ftp://x"}, [], "chains.ethereum.rpc_url"),
        ({"ETHEREUM_CHAIN_ID": "0"}, [], "chains.ethereum.chain_id"),
        ({"ETHEREUM_CHAIN_ID": "9223372036854775772"}, [], "chains.ethereum.chain_id"),
        ({"RATE_LIMIT_REQUESTS": "-5"}, [], "rate_limit.requests"),
        ({"SERVER_MAX_BODY_BYTES": "lots"}, [], "server.max_body_bytes"),
        ({"DATABASE_URL": "postgres://db/x"}, ["--host", "127.0.0.1"], "database.url"),
        ({}, ["--set", "server.prot=1"], "server.prot"),
    ],
    ids=lambda value: str(value),
)
def test_bad_value_fails_start_naming_the_key(server_factory, tmp_path, env, args, key):
    full_args = ["serve", *args]
    if "DATABASE_URL" not in env:
        # Never let a start that wrongly succeeds touch the repository's default database.
        full_args += ["--database", str(tmp_path / "never.sqlite")]
    if not any(a.startswith("--port") for a in args) and "SERVER_PORT" not in env:
        full_args += ["--port", "0"]
    result = server_factory.run(full_args, env=base_environment(**env), timeout=15)
    output = result.stderr + result.stdout
    assert result.returncode != 0, output
    assert key in output, output
    assert "listening" not in output
    assert not (tmp_path / "never.sqlite").exists()


def test_database_url_is_honoured(server_factory, tmp_path):
    database = tmp_path / "x.sqlite"
    env = base_environment(DATABASE_URL=f"sqlite://{database}")  # sqlite:/// + absolute path
    assert f"sqlite://{database}".startswith("sqlite:///")
    server = server_factory.start(["serve", "--host", "127.0.0.1", "--port", "0"], env=env)
    assert database.exists()
    assert f"database={database}" in server.stderr_text
    created = requests.post(
        server.url("/api/v1/wallets"),
        json={"address": "0x" + "ab" * 20, "chain": "ethereum"},
        timeout=5,
    )
    assert created.status_code == 201, created.text
    assert server.stop() == 0
    # The wallet went to that file: a new server on the same URL sees it.
    again = server_factory.start(["serve", "--host", "127.0.0.1", "--port", "0"], env=env)
    listed = requests.get(again.url("/api/v1/wallets"), timeout=5).json()["wallets"]
    assert [w["id"] for w in listed] == [created.json()["id"]]


def test_database_flag_beats_database_url(server_factory, tmp_path):
    env = base_environment(DATABASE_URL=f"sqlite://{tmp_path / 'env.sqlite'}")
    server_factory.start(
        ["serve", "--host", "127.0.0.1", "--port", "0", "--database", str(tmp_path / "flag.sqlite")], env=env
    )
    assert (tmp_path / "flag.sqlite").exists()
    assert not (tmp_path / "env.sqlite").exists()


def test_server_port_env_is_used_without_flag(server_factory):
    port = free_port()
    server = server_factory.start(env=base_environment(SERVER_PORT=str(port)), host_port=False)
    assert server.port == port
    assert requests.get(f"http://127.0.0.1:{port}/api/v1/live", timeout=5).json() == {"status": "alive"}


def test_port_and_host_flags_beat_environment(server_factory):
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        busy = blocker.getsockname()[1]
        # The environment names a busy port and an address that is not this machine's; the
        # flags must win, or the start fails.
        env = base_environment(SERVER_PORT=str(busy), SERVER_HOST="192.0.2.1")
        server = server_factory.start(env=env)  # serve --host 127.0.0.1 --port 0 --database <tmp>
    assert server.port not in (None, busy)
    assert server.host == "127.0.0.1"
    assert requests.get(server.url("/api/v1/live"), timeout=5).status_code == 200


def test_flag_value_beats_invalid_environment_value(server_factory):
    env = base_environment(SERVER_PORT="abc")
    server = server_factory.start(env=env)  # with --port 0
    assert requests.get(server.url("/api/v1/live"), timeout=5).status_code == 200


def test_serve_is_the_default_subcommand(server_factory, tmp_path):
    database = tmp_path / "default-cmd.sqlite"
    server = server_factory.start(["--host", "127.0.0.1", "--port", "0", "--database", str(database)])
    assert requests.get(server.url("/api/v1/ready"), timeout=5).json() == {"status": "ready"}
    assert database.exists()


def test_json_logs(server_factory):
    server = server_factory.start(env=base_environment(LOG_FORMAT="json"))
    session = requests.Session()
    assert session.get(server.url("/api/v1/live"), timeout=5).status_code == 200
    assert session.post(
        server.url("/api/v1/wallets"), json={"address": "0x" + "cd" * 20, "chain": "ethereum"}, timeout=5
    ).status_code == 201
    assert session.get(server.url("/api/v1/nothing-here"), timeout=5).status_code == 404
    session.close()
    expected = [("GET", "/api/v1/live", "200"), ("POST", "/api/v1/wallets", "201"), ("GET", "/api/v1/nothing-here", "404")]

    def request_line_for(method, path, status, records):
        for record in records:
            fields_match = (
                str(record.get("method")) == method
                and str(record.get("path")) == path
                and str(record.get("status")) == status
            )
            message_match = f"{method} {path} {status}" in str(record.get("message", ""))
            if fields_match or message_match:
                return record
        return None

    deadline = time.monotonic() + 5
    while True:
        lines = [line for line in server.stderr_lines if line.strip()]
        records = []
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                pytest.fail(f"a log line is not JSON: {line!r}")
            assert isinstance(record, dict), line
            records.append(record)
        found = [request_line_for(m, p, s, records) for m, p, s in expected]
        if all(found) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert all(found), "\n".join(lines)
    for record in records:
        assert {"ts", "level", "message"} <= record.keys(), record
    listening = next(r for r in records if r.get("message") == "listening")
    assert listening["url"] == f"http://127.0.0.1:{server.port}/"
    assert server.stop() == 0
    for line in server.stderr_lines:
        if line.strip():
            json.loads(line)


def test_help_exits_0(server_factory):
    result = server_factory.run(["--help"])
    assert result.returncode == 0, result.stderr
    assert "serve" in result.stdout and "USAGE" in result.stdout.upper()
    serve = server_factory.run(["serve", "--help"])
    assert serve.returncode == 0, serve.stderr
    for flag in ("--host", "--port", "--database"):
        assert flag in serve.stdout


def test_version_matches_health(server_factory):
    result = server_factory.run(["--version"])
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", result.stdout.strip()), result.stdout
    server = server_factory.start()
    health = requests.get(server.url("/api/v1/health"), timeout=5).json()
    assert health["version"] == result.stdout.strip()


def test_config_command_shows_environment_override(server_factory):
    result = server_factory.run(["config"], env=base_environment(SERVER_PORT="4321", LOG_LEVEL="debug"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("server.port = 4321") for line in lines), result.stdout
    assert any(line.startswith("log.level = debug") for line in lines), result.stdout
