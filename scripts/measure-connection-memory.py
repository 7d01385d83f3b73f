#!/usr/bin/env python3
"""Server memory per WebSocket connection: starts the server, opens N stream connections
(optionally each subscribed to `portfolio`), and compares its RSS before and after.

    python3 scripts/measure-connection-memory.py .build/release/portfolio-server 3000 [--subscribe]
"""

import argparse
import asyncio
import json
import os
import resource
import socket
import subprocess
import tempfile
import time

import websockets


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(pid: int, url: str, count: int, subscribe: bool) -> None:
    before = rss_mib(pid)
    connections = []
    for _ in range(count):
        ws = await websockets.connect(url, max_queue=4)
        if subscribe:
            await ws.send(json.dumps({"op": "subscribe", "topic": "portfolio"}))
            await ws.recv()
        connections.append(ws)
    await asyncio.sleep(1)
    after = rss_mib(pid)
    print(f"{count} connections{' subscribed' if subscribe else ''}: {before:.1f} -> {after:.1f} MiB, "
          f"{(after - before) * 1024 / count:.2f} KiB each")
    for ws in connections:
        await ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("server")
    parser.add_argument("count", type=int)
    parser.add_argument("--subscribe", action="store_true")
    args = parser.parse_args()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    port = free_port()
    # No chain is reachable: the server only serves connections.
    env = dict(os.environ, ETHEREUM_RPC_URL="http://127.0.0.1:9/", RATE_LIMIT_REQUESTS="0",
               SOLANA_ENABLED="false", POLYGON_ENABLED="false", ARBITRUM_ENABLED="false",
               OPTIMISM_ENABLED="false", BASE_ENABLED="false", BSC_ENABLED="false")
    folder = tempfile.mkdtemp(prefix="connection-memory-")
    server = subprocess.Popen([args.server, "serve", "--port", str(port), "--database", f"{folder}/p.sqlite"],
                              env=env, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        asyncio.run(measure(server.pid, f"ws://127.0.0.1:{port}/api/v1/stream", args.count, args.subscribe))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
