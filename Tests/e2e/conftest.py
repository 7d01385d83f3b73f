"""Shared fixtures for the end-to-end tests of `portfolio-server`.

The tests run the built binary as a child process (never `swift build`): set
PORTFOLIO_SERVER_BIN to test another build; the default is
`<repo>/.build/debug/portfolio-server`. Each server gets its own SQLite file in a pytest
temporary directory, listens on 127.0.0.1 port 0, and is found through the `url=` line it
logs once listening.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER_BIN = Path(
    os.environ.get("PORTFOLIO_SERVER_BIN", str(REPO_ROOT / ".build" / "debug" / "portfolio-server"))
)

START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0

# Environment variables the server reads as configuration; the tests start from a clean slate
# so a developer's shell cannot change what is tested.
_CONFIG_ENV_PREFIXES = (
    "SERVER_", "DATABASE_", "LOG_", "RATE_LIMIT_", "CACHE_", "CHAINS_", "ETHEREUM_", "SOLANA_",
    "POLYGON_", "ARBITRUM_", "OPTIMISM_", "BASE_", "BSC_", "PRICES_", "COINGECKO_", "TOKENS_",
    "CORS_", "TLS_", "AUTH_", "BACKUP_",
)
_CONFIG_ENV_NAMES = {"PORTFOLIO_CONFIG", "AUTH_REQUIRED"}

_URL_RE = re.compile(r"url(?:=|\":)\"?(https?)://([0-9.]+|\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):(\d+)/")


def base_environment(**extra: str) -> dict[str, str]:
    """The parent's environment minus configuration variables, plus RATE_LIMIT_REQUESTS=0 and
    no price sources (no test reaches a public price API; price tests name their sources)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith(_CONFIG_ENV_PREFIXES) or k in _CONFIG_ENV_NAMES)
    }
    env["RATE_LIMIT_REQUESTS"] = "0"
    env["PRICES_SOURCES"] = "none"
    env.update(extra)
    return env


def random_evm_address() -> str:
    """A valid all-lowercase EVM address, accepted without a checksum."""
    return "0x" + secrets.token_hex(20)


class ServerProcess:
    """One running `portfolio-server` with its stderr collected by a reader thread."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path = REPO_ROOT):
        self.args = args
        self.proc = subprocess.Popen(
            args,
            cwd=str(cwd),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._lines: list[str] = []
        self._out: list[str] = []
        self._lock = threading.Lock()
        self._listening = threading.Event()
        self._eof = threading.Event()
        self.scheme = "http"
        self.host: str | None = None
        self.port: int | None = None
        self.listening_at: float | None = None
        self._err_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._out_thread = threading.Thread(target=self._read_stdout, daemon=True)
        self._err_thread.start()
        self._out_thread.start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lock:
                self._lines.append(line)
            if not self._listening.is_set():
                # Text logs carry `url=http://…/`; JSON logs a "url" member (with `\/` escapes).
                match = _URL_RE.search(line.replace("\\/", "/"))
                if match:
                    self.scheme = match.group(1)
                    self.host = match.group(2)
                    self.port = int(match.group(3))
                    self.listening_at = time.monotonic()
                    self._listening.set()
        self._eof.set()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            with self._lock:
                self._out.append(raw.decode("utf-8", "replace").rstrip("\n"))

    # --- state -------------------------------------------------------------------------

    @property
    def stderr_lines(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    @property
    def stderr_text(self) -> str:
        return "\n".join(self.stderr_lines)

    @property
    def stdout_text(self) -> str:
        with self._lock:
            return "\n".join(self._out)

    @property
    def base_url(self) -> str:
        assert self.port is not None, "server is not listening"
        return f"{self.scheme}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        assert self.port is not None, "server is not listening"
        return f"{'wss' if self.scheme == 'https' else 'ws'}://127.0.0.1:{self.port}/api/v1/stream"

    def url(self, path: str) -> str:
        return self.base_url + path

    # --- lifecycle ---------------------------------------------------------------------

    def wait_listening(self, timeout: float = START_TIMEOUT) -> "ServerProcess":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._listening.wait(0.05):
                return self
            if self.proc.poll() is not None:
                self._eof.wait(2)
                raise AssertionError(
                    f"server exited with {self.proc.returncode} before listening:\n{self.stderr_text}"
                )
        raise AssertionError(f"server did not log its url within {timeout} s:\n{self.stderr_text}")

    def wait_exit(self, timeout: float = STOP_TIMEOUT) -> int:
        rc = self.proc.wait(timeout=timeout)
        self._eof.wait(2)
        self._err_thread.join(2)
        self._out_thread.join(2)
        return rc

    def send_signal(self, sig: int) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = STOP_TIMEOUT) -> int:
        """Sends `sig` and returns the exit code; SIGKILLs (and fails) if it does not exit."""
        self.send_signal(sig)
        try:
            return self.wait_exit(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(
                f"server did not exit within {timeout} s of signal {sig}:\n{self.stderr_text}"
            )

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass

    def cleanup(self) -> None:
        """Finalizer: SIGTERM, then SIGKILL if it lingers."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        for stream in (self.proc.stdout, self.proc.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


class ServerFactory:
    """Starts servers and guarantees every one of them is stopped in `close()`."""

    def __init__(self, tmp_dir: Path):
        self.tmp_dir = tmp_dir
        self.processes: list[ServerProcess] = []
        self._count = 0

    def database_path(self, name: str = "p.sqlite") -> Path:
        return self.tmp_dir / name

    def spawn(
        self,
        args: list[str] | None = None,
        env: dict[str, str] | None = None,
        *,
        database: Path | str | None = "default",
        host_port: bool = True,
    ) -> ServerProcess:
        """Starts the binary without waiting. `args` replace the default `serve` arguments;
        a caller passing its own must name a database (flag or DATABASE_URL), or the server
        would use the repository's ./data/portfolio.sqlite."""
        if args is None:
            args = ["serve"]
            if host_port:
                args += ["--host", "127.0.0.1", "--port", "0"]
            if database == "default":
                self._count += 1
                database = self.tmp_dir / f"server{self._count}.sqlite"
            if database is not None:
                args += ["--database", str(database)]
        env = env if env is not None else base_environment()
        assert any(a.startswith("--database") for a in args) or "DATABASE_URL" in env, (
            "name a temporary database; the default is the repository's ./data/portfolio.sqlite"
        )
        process = ServerProcess([str(SERVER_BIN), *args], env)
        self.processes.append(process)
        return process

    def start(self, args: list[str] | None = None, env: dict[str, str] | None = None, **kwargs) -> ServerProcess:
        return self.spawn(args, env, **kwargs).wait_listening()

    def run(self, args: list[str], env: dict[str, str] | None = None, timeout: float = 20.0) -> subprocess.CompletedProcess:
        """Runs the binary to completion (for commands and failing starts)."""
        try:
            return subprocess.run(
                [str(SERVER_BIN), *args],
                cwd=str(REPO_ROOT),
                env=env if env is not None else base_environment(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise AssertionError(f"{args} did not exit within {timeout} s: {error}")

    def close(self) -> None:
        for process in self.processes:
            process.cleanup()
        self.processes.clear()


@pytest.fixture(scope="session", autouse=True)
def _server_binary_exists() -> None:
    if not SERVER_BIN.is_file() or not os.access(SERVER_BIN, os.X_OK):
        pytest.exit(f"server binary not found or not executable: {SERVER_BIN} (set PORTFOLIO_SERVER_BIN)", 2)


@pytest.fixture
def server_factory(tmp_path: Path):
    factory = ServerFactory(tmp_path)
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def module_factory(tmp_path_factory: pytest.TempPathFactory):
    factory = ServerFactory(tmp_path_factory.mktemp("server"))
    yield factory
    factory.close()


@pytest.fixture(scope="module")
def server(module_factory: ServerFactory) -> ServerProcess:
    """One server per test module, rate limit off."""
    return module_factory.start()


def add_wallet(server: ServerProcess, address: str | None = None, chain: str = "ethereum", label=None,
               session: requests.Session | None = None) -> dict:
    body = {"address": address or random_evm_address(), "chain": chain}
    if label is not None:
        body["label"] = label
    response = (session or requests).post(server.url("/api/v1/wallets"), json=body, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def list_all_wallets(server: ServerProcess, page_size: int = 500) -> list[dict]:
    wallets: list[dict] = []
    cursor = None
    with requests.Session() as session:
        for _ in range(10_000):
            params = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            response = session.get(server.url("/api/v1/wallets"), params=params, timeout=10)
            assert response.status_code == 200, response.text
            body = response.json()
            wallets.extend(body["wallets"])
            cursor = body["next_cursor"]
            if cursor is None:
                return wallets
    raise AssertionError("listing did not end")


def parse_head(head: bytes) -> tuple[str, dict[str, str]]:
    """An HTTP response head as its status line and its headers, names in lower case."""
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], headers
