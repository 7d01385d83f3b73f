#!/usr/bin/env python3
"""Measures how long a balance change takes from the poller's read to the diff frame leaving
the server, with many WebSocket subscribers on loopback.

Starts the release devchain and portfolio-server (build them first: swift build -c release),
connects N subscribers to the portfolio topic, moves a balance M times on devchain, and prints
the server's own read-to-write percentiles from /api/v1/health, with the count of diffs each
client received. Needs: pip install websockets requests.

    scripts/stream-latency.py --subscribers 1000 --changes 50
"""

import argparse
import asyncio
import json
import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import requests
import websockets

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".build" / "release"
WALLET = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"


def start_devchain():
    proc = subprocess.Popen([str(BIN / "devchain"), "--port", "0"], stdout=subprocess.PIPE, text=True)
    port = re.search(r":(\d+) ", proc.stdout.readline()).group(1)
    return proc, f"http://127.0.0.1:{port}"


def start_server(devchain_url, database):
    env = dict(os.environ, ETHEREUM_RPC_URL=f"{devchain_url}/ethereum", SOLANA_RPC_URL=f"{devchain_url}/solana",
               ETHEREUM_POLL_INTERVAL="0.05", SOLANA_ENABLED="false", POLYGON_ENABLED="false",
               ARBITRUM_ENABLED="false", OPTIMISM_ENABLED="false", BASE_ENABLED="false", BSC_ENABLED="false",
               RATE_LIMIT_REQUESTS="0")
    proc = subprocess.Popen([str(BIN / "portfolio-server"), "--port", "0", "--database", database],
                            env=env, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    for line in proc.stderr:
        match = re.search(r"url=http://127\.0\.0\.1:(\d+)/", line)
        if match:
            # Keep reading the log, or a full pipe would block the server.
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, int(match.group(1))
    raise SystemExit("the server did not start")


async def subscriber(port, ready, counts, index, stop):
    async with websockets.connect(f"ws://127.0.0.1:{port}/api/v1/stream", max_size=None) as ws:
        await ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
        await ws.recv()  # snapshot
        ready.release()
        while not stop.is_set():
            try:
                frame = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
            except asyncio.TimeoutError:
                continue
            if frame["type"] == "diff":
                counts[index] += 1


async def main(args):
    devchain, devchain_url = start_devchain()
    database = tempfile.mkdtemp() + "/latency.sqlite"
    server, port = start_server(devchain_url, database)
    try:
        requests.post(f"{devchain_url}/control/balance", json={"chain": "ethereum", "address": WALLET, "token": None, "amount": "1"})
        requests.post(f"http://127.0.0.1:{port}/api/v1/wallets", json={"chain": "ethereum", "address": WALLET})
        time.sleep(0.5)
        ready = asyncio.Semaphore(0)
        counts = [0] * args.subscribers
        stop = asyncio.Event()
        tasks = [asyncio.create_task(subscriber(port, ready, counts, i, stop)) for i in range(args.subscribers)]
        for _ in range(args.subscribers):
            await ready.acquire()
        baseline = requests.get(f"http://127.0.0.1:{port}/api/v1/health").json()["stream"]
        for change in range(args.changes):
            requests.post(f"{devchain_url}/control/balance",
                          json={"chain": "ethereum", "address": WALLET, "token": None, "amount": str(change + 2)})
            await asyncio.sleep(args.spacing)
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        stream = requests.get(f"http://127.0.0.1:{port}/api/v1/health").json()["stream"]
        print(f"subscribers: {args.subscribers}, changes: {args.changes}")
        print(f"diff frames written: {stream['frames'] - baseline.get('frames', 0)}, "
              f"received per client: min {min(counts)}, max {max(counts)}")
        print(f"read to write: p50 {stream['read_to_write_p50_ms']} ms, p99 {stream['read_to_write_p99_ms']} ms, "
              f"max {stream['read_to_write_max_ms']} ms")
    finally:
        server.terminate()
        devchain.terminate()
        server.wait(10)
        devchain.wait(10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--spacing", type=float, default=0.2, help="seconds between changes")
    asyncio.run(main(parser.parse_args()))
