"""Load benchmark of the Telegram bot: simulated users through the fake Bot API server.

    python benchmarks/bench_telegram.py [--users 200] [--messages 5]

Each simulated user sends a question, waits for the answer, reads it for a
while (``--think`` seconds on average, 0 for a burst), and sends the next
one; all users at once, against one bot process (long polling).  Reports
lost and duplicated answers, latency from the moment getUpdates delivered an
update to the moment the answer reached the server (p50, p95), and the bot
process's peak memory.  A measurement, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fake_telegram import FakeTelegram  # noqa: E402

TOKEN = "555555555:LOAD-token_abcdefghijklmnopqrstuvwxyz"


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answers(server: FakeTelegram, chat: int) -> list:
    """Answers to questions end with the result keyboard: one such message per question."""
    return [m for m in server.sent_to(chat) if m.keyboard]


def user(server: FakeTelegram, chat: int, questions: list[str], lang: str, think: float, latencies: list[float],
         problems: list[str]) -> None:
    rng = random.Random(chat)
    time.sleep(rng.uniform(0, think))  # users do not all arrive in the same second
    for n, question in enumerate(questions, 1):
        if n > 1:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        # a per-user suffix makes every message distinct, so no answer comes from the query cache
        update_id = server.text(chat, f"{question} ({chat}-{n})", language_code=lang)
        try:
            server.wait_until(chat, lambda sent, n=n: sum(1 for m in sent if m.keyboard) >= n, timeout=120)
        except TimeoutError:
            problems.append(f"chat {chat}: answer {n} lost")
            return
        got = answers(server, chat)
        delivered = server.delivered_at.get(update_id)
        if delivered is not None:
            latencies.append((got[n - 1].at - delivered) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds a user reads an answer before the next message")
    parser.add_argument("--sequential", type=int, default=0, metavar="N",
                        help="instead: N messages from N users, one at a time (the latency of one answer, no queueing)")
    args = parser.parse_args()
    items = [json.loads(line) for line in (ROOT / "tests" / "data" / "dev.jsonl").read_text().splitlines() if line.strip()]
    items = [i for i in items if i["gold"]]

    server = FakeTelegram(TOKEN).start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": server.base, "BOT_POLL_TIMEOUT": "1"}
    env.pop("REDIS_URL", None)
    bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "telegram"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not server.calls_of("getUpdates"):
            time.sleep(0.1)
        latencies: list[float] = []
        problems: list[str] = []
        threads = []
        started = time.monotonic()
        if args.sequential:
            args.users, args.messages = args.sequential, 1
        for u in range(args.users):
            picked = [items[(u * args.messages + m) % len(items)] for m in range(args.messages)]
            thread = threading.Thread(target=user, args=(server, 100000 + u, [i["question"] for i in picked], picked[0]["lang"],
                                                         args.think, latencies, problems))
            thread.start()
            threads.append(thread)
            if args.sequential:
                thread.join()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        time.sleep(2)  # let any late duplicate arrive
        expected = args.users * args.messages
        got = sum(len(answers(server, 100000 + u)) for u in range(args.users))
        latencies.sort()
        report = {
            "users": args.users, "messages_each": args.messages, "think_s": args.think, "updates": expected,
            "answers": got, "lost": max(0, expected - got), "duplicated": max(0, got - expected), "problems": problems[:5],
            "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
            "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1) if latencies else None,
            "max_ms": round(latencies[-1], 1) if latencies else None,
            "throughput_per_s": round(expected / elapsed, 1),
            "bot_peak_rss_mb": round(peak_rss_mb(bot.pid)),
            "bot_cpu_s": round(cpu_seconds(bot.pid), 1),
            "load_generator_cpu_s": round(resource.getrusage(resource.RUSAGE_SELF).ru_utime
                                          + resource.getrusage(resource.RUSAGE_SELF).ru_stime, 1),
            "elapsed_s": round(elapsed, 1),
        }
        print(json.dumps(report, indent=1))
    finally:
        bot.terminate()
        bot.wait(20)
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
