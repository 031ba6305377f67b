"""Load benchmark of the web chat's JSON API: simulated users against one `bot web` process.

    python benchmarks/bench_web.py [--users 200] [--messages 5] [--think 10]

Each simulated user (its own session id, as a WhatsApp gateway would send)
posts a question, waits for the reply, reads it for a while (``--think``
seconds on average, 0 for a burst) and posts the next.  Reports lost
answers (no reply, an error, or no block), latency per request (p50, p95)
and the server's peak memory.  A measurement, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def user(http: aiohttp.ClientSession, base: str, n: int, questions: list[str], think: float,
               latencies: list[float], problems: list[str]) -> None:
    rng = random.Random(n)
    await asyncio.sleep(rng.uniform(0, think))
    session = f"load-{n:06d}-{os.getpid()}"
    for m, question in enumerate(questions, 1):
        if m > 1:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
        started = time.perf_counter()
        try:
            async with http.post(f"{base}/api/message", json={"text": f"{question} ({n}-{m})", "session": session},
                                 timeout=aiohttp.ClientTimeout(total=300)) as response:
                body = await response.json() if response.status == 200 else None
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            problems.append(f"user {n}: {type(exc).__name__}")
            continue
        if not body or not body["replies"] or not body["replies"][0]["blocks"]:
            problems.append(f"user {n}: message {m} lost")
            continue
        latencies.append((time.perf_counter() - started) * 1000)


async def run(base: str, args: argparse.Namespace, questions: list[str]) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    problems: list[str] = []
    started = time.monotonic()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(
            user(http, base, u, [questions[(u * args.messages + m) % len(questions)] for m in range(args.messages)],
                 args.think, latencies, problems)
            for u in range(args.users)
        ))
    return latencies, problems, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--think", type=float, default=10.0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bot.bank import load_bank
    from bot.corpus.load import load_corpus

    bank = load_bank(load_corpus().passages)
    questions = [q.question for q in bank.questions if q.audience == "victim"][::7]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "web", "--listen", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise SystemExit("the web server never listened")
            time.sleep(0.2)
        latencies, problems, elapsed = asyncio.run(run(f"http://127.0.0.1:{port}", args, questions))
        latencies.sort()
        expected = args.users * args.messages
        report = {
            "users": args.users, "messages_each": args.messages, "think_s": args.think, "requests": expected,
            "answered": len(latencies), "lost": expected - len(latencies), "problems": problems[:5],
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "throughput_per_s": round(expected / elapsed, 1), "server_peak_rss_mb": round(peak_rss_mb(server.pid)),
            "elapsed_s": round(elapsed, 1),
        }
        print(json.dumps(report, indent=1))
    finally:
        server.terminate()
        server.wait(20)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
