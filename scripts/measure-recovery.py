#!/usr/bin/env python3
"""How long the Ethereum poller stays failing after its node comes back.

Starts devchain and portfolio-server (built binaries), tracks one wallet, then for each
outage length: makes devchain drop (or hang on) every Ethereum request, waits, lets requests through
again and mines a block (a live chain moves on), and times how long until
/api/v1/health shows the chain read successfully again. Prints one line per outage.

    python3 scripts/measure-recovery.py --outage 75 100 125 150
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URL_RE = re.compile(r"url(?:=|\":)\"?http://[^:]+:(\d+)/")


def request(url: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=10) as answer:
        return json.loads(answer.read() or b"{}")


def start_devchain(binary: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([binary, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    match = re.search(r"http://127\.0\.0\.1:(\d+)", proc.stdout.readline())
    assert match, "devchain did not print its url"
    return proc, f"http://127.0.0.1:{match.group(1)}"


def start_server(binary: str, chain: str, poll: float, database: str) -> tuple[subprocess.Popen, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ETHEREUM_", "SOLANA_", "CHAINS_"))}
    env.update(
        ETHEREUM_RPC_URL=f"{chain}/ethereum", SOLANA_RPC_URL=f"{chain}/solana", ETHEREUM_POLL_INTERVAL=str(poll),
        POLYGON_ENABLED="false", ARBITRUM_ENABLED="false", OPTIMISM_ENABLED="false", BASE_ENABLED="false",
        BSC_ENABLED="false", RATE_LIMIT_REQUESTS="0",
    )
    proc = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--database", database],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    found = threading.Event()
    port: list[str] = []

    def drain() -> None:
        for line in proc.stderr:
            if not found.is_set() and (match := URL_RE.search(line.replace("\\/", "/"))):
                port.append(match.group(1))
                found.set()

    threading.Thread(target=drain, daemon=True).start()
    assert found.wait(20), "the server did not log its url"
    return proc, f"http://127.0.0.1:{port[0]}"


def ethereum(server: str) -> dict:
    return request(f"{server}/api/v1/health")["chains"]["ethereum"]


def parse(text: str | None) -> float:
    if not text:
        return 0.0
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=str(ROOT / ".build/debug/portfolio-server"))
    parser.add_argument("--devchain", default=str(ROOT / ".build/debug/devchain"))
    parser.add_argument("--poll", type=float, default=12, help="ETHEREUM_POLL_INTERVAL, seconds")
    parser.add_argument("--outage", type=float, nargs="+", default=[100], help="outage lengths, seconds")
    parser.add_argument(
        "--fault", choices=["drop", "hang"], default="drop",
        help="drop: connections closed unanswered; hang: answers 60 s late, past the request timeout",
    )
    parser.add_argument("--give-up", type=float, default=300, help="seconds to wait for recovery")
    args = parser.parse_args()

    chain_proc, chain = start_devchain(args.devchain)
    with tempfile.TemporaryDirectory() as folder:
        server_proc, server = start_server(args.server, chain, args.poll, f"{folder}/p.sqlite")
        try:
            wallet = "0x" + "ab" * 20
            request(f"{chain}/control/balance", {"chain": "ethereum", "address": wallet, "amount": "1"})
            request(f"{server}/api/v1/wallets", {"chain": "ethereum", "address": wallet})
            deadline = time.time() + 60
            while ethereum(server)["last_success"] is None:
                assert time.time() < deadline, "no first read"
                time.sleep(0.25)
            for outage in args.outage:
                fault = {"kind": "drop"} if args.fault == "drop" else {"kind": "latency", "ms": 60_000}
                request(f"{chain}/control/fault", {"chain": "ethereum", **fault})
                time.sleep(outage)
                failures = ethereum(server)["consecutive_failures"]
                request(f"{chain}/control/fault", {"chain": "ethereum", "kind": "none"})
                request(f"{chain}/control/advance", {"chain": "ethereum", "blocks": 1})
                up = time.time()
                while True:
                    state = ethereum(server)
                    if state["consecutive_failures"] == 0 and parse(state["last_success"]) >= up:
                        recovered = parse(state["last_success"]) - up
                        break
                    if time.time() - up > args.give_up:
                        recovered = float("inf")
                        break
                    time.sleep(0.1)
                print(
                    f"outage {outage:6.1f} s: failed polls {failures:3d}, "
                    f"read again {recovered:6.1f} s after the node came back",
                    flush=True,
                )
                time.sleep(args.poll)
        finally:
            server_proc.terminate()
            server_proc.wait(10)
            chain_proc.terminate()
            chain_proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
