#!/usr/bin/env python3
"""1,000 wallets added one by one through POST /api/v1/wallets: how long until every one of them
has been read from the chain, and in how many chain HTTP requests.

    python3 scripts/measure-single-adds.py .build/release/portfolio-server .build/release/devchain

Starts devchain and the server (Ethereum alone, a 12 s poll interval) on loopback, gives 1,000
fresh addresses 5 wei on devchain, adds them one request at a time, then polls
GET /api/v1/portfolio until all of them show (at most 150 s). Stops both on exit.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time

import requests

COUNT = 1000
LIMIT_SECONDS = 150


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(server_bin: str, devchain_bin: str) -> None:
    devchain = subprocess.Popen([devchain_bin, "--port", "0"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
    chain = re.search(r"http://127\.0\.0\.1:\d+", devchain.stdout.readline()).group(0)
    port = free_port()
    env = dict(os.environ, ETHEREUM_RPC_URL=f"{chain}/ethereum", ETHEREUM_POLL_INTERVAL="12",
               RATE_LIMIT_REQUESTS="0", SOLANA_ENABLED="false", POLYGON_ENABLED="false",
               ARBITRUM_ENABLED="false", OPTIMISM_ENABLED="false", BASE_ENABLED="false", BSC_ENABLED="false")
    folder = tempfile.mkdtemp(prefix="single-adds-")
    server = subprocess.Popen([server_bin, "serve", "--port", str(port), "--database", f"{folder}/p.sqlite"],
                              env=env, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if session.get(f"{api}/api/v1/live", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        addresses = ["0x" + secrets.token_hex(20) for _ in range(COUNT)]
        for address in addresses:
            requests.post(f"{chain}/control/balance",
                          json={"chain": "ethereum", "address": address, "token": None, "amount": "5"}, timeout=5)
        requests.post(f"{chain}/control/reset-stats", json={}, timeout=5)
        started = time.monotonic()
        for address in addresses:
            response = session.post(f"{api}/api/v1/wallets", json={"chain": "ethereum", "address": address}, timeout=10)
            assert response.status_code == 201, response.text
        added = time.monotonic() - started
        read = 0
        while time.monotonic() - started < LIMIT_SECONDS:
            totals = session.get(f"{api}/api/v1/portfolio", timeout=10).json()["totals"]
            read = next((t["wallets"] for t in totals if t["token"] is None), 0)
            if read == COUNT:
                break
            time.sleep(0.2)
        took = time.monotonic() - started
        made = requests.get(f"{chain}/control/stats", timeout=5).json()["ethereum"]["http_requests"]
        print(f"{server_bin}: added {COUNT} in {added:.1f} s; {read} read {took:.1f} s after the first add; "
              f"{made} ethereum HTTP requests")
    finally:
        server.terminate()
        devchain.terminate()
        server.wait()
        devchain.wait()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
