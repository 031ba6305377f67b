"""Engine benchmark: cold start, per-query latency, memory, index build, and a 100x synthetic corpus.

    python benchmarks/bench_engine.py [--build] [--scale 100]

Speed and memory are measured and reported here, never asserted by tests.
--build also times a full index build from scratch (minutes: every text is
encoded) and a rebuild after a one-passage change.  --scale N measures query
latency and memory on a synthetic corpus N times larger (the real vectors and
texts, perturbed); its build time is extrapolated from the measured
per-text encoding cost, since encoding N times the corpus would take hours.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dev.jsonl"
QUESTION = "Can I get papers if I report my exploiter?"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_start() -> dict:
    """A fresh process: import, load everything, answer one question."""
    code = (
        "import time, resource; t0 = time.perf_counter()\n"
        "from bot.engine import Engine\n"
        "e = Engine.load(); t1 = time.perf_counter()\n"
        f"a = e.ask({QUESTION!r}); t2 = time.perf_counter()\n"
        "print(t1 - t0, t2 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
        wall = time.perf_counter() - started
        load, first, rss = map(float, out.split())
        runs.append((load, first, wall, rss))
    load, first, wall, rss = min(runs, key=lambda r: r[2])
    return {"load_s": round(load, 2), "first_answer_s": round(first, 2), "process_wall_s": round(wall, 2), "peak_rss_mb": round(rss)}


def latency(engine, questions: list[str], repeats: int = 3) -> dict:
    """End-to-end ask() latency after load (detection, encoding, retrieval, fusion, highlighting)."""
    times = []
    for _ in range(repeats):
        for q in questions:
            engine._vectors.clear()  # no cache hits: every question is encoded
            t = time.perf_counter()
            engine.ask(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"queries": len(times), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1)}


def encoder_only(engine, questions: list[str]) -> dict:
    times = []
    for q in questions:
        t = time.perf_counter()
        engine.encoder.queries([q])
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1)}


def build_times() -> dict:
    """Full build into an empty directory, then a rebuild after changing one passage."""
    from bot.corpus.build import build
    from bot.index.build import build_index

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "project"
        shutil.copytree(ROOT / "corpus", home / "corpus")
        shutil.copytree(ROOT / "locales", home / "locales")
        os.environ["BOT_HOME"] = str(home)
        t = time.perf_counter()
        full = build_index(progress=False)
        full_s = time.perf_counter() - t
        source = home / "corpus" / "sources" / "003_0d50926f5802356e.txt"
        source.write_text(source.read_text().replace("No cultural mediators have been recruited.",
                                                     "No cultural mediator has been recruited."))
        build()
        t = time.perf_counter()
        again = build_index(progress=False)
        rebuild_s = time.perf_counter() - t
        del os.environ["BOT_HOME"]
    return {"full_build_s": round(full_s, 1), "vectors": full["vectors"], "per_text_ms": round(full_s / full["vectors"] * 1000),
            "rebuild_one_passage_s": round(rebuild_s, 1), "encoded_on_rebuild": again["encoded_now"]}


def synthetic_scale(engine, factor: int, questions: list[str], per_text_ms: float | None) -> dict:
    """Query cost on a corpus ``factor`` times larger: real vectors and texts, perturbed copies."""
    from bot.index.lexical import LexicalIndex
    from bot.index.store import LoadedIndex
    from bot.retrieve import Retriever

    import faiss

    rng = np.random.default_rng(0)
    idx = engine.retriever.index
    passages = engine.corpus.passages
    n = len(passages)
    big_passages = []
    for copy in range(factor):
        for p in passages:
            big_passages.append(dict(p, id=f"{p['id']}~{copy}"))
    vectors = np.vstack([idx.vectors + rng.normal(0, 0.02, idx.vectors.shape).astype(np.float32) for _ in range(factor)])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    rows = np.concatenate([idx.unit_rows + copy * n for copy in range(factor)])
    spans = idx.unit_spans * factor
    kinds = np.concatenate([idx.unit_kinds] * factor)
    searchable = [r for r in range(len(big_passages)) if not big_passages[r].get("duplicate_of")]
    lexical = {"en": LexicalIndex.build("en", [big_passages[r]["text"] for r in searchable], searchable, len(big_passages))}
    big = LoadedIndex(idx.manifest, vectors, index, rows, spans, kinds, lexical)
    before = rss_mb()
    engine.retriever = Retriever(big, big_passages, engine.retriever.weights)
    engine.corpus = type(engine.corpus)(big_passages, engine.corpus.sources, engine.corpus.measures, engine.corpus.hash)
    engine._outside = np.array([bool(p.get("outside_france")) for p in big_passages])
    engine._rows = {p["id"]: i for i, p in enumerate(big_passages)}
    result = latency(engine, questions, repeats=1)
    result.update({"passages": len(big_passages), "vectors": int(vectors.shape[0]), "peak_rss_mb": round(max(before, rss_mb()))})
    if per_text_ms:
        result["build_s_extrapolated"] = round(vectors.shape[0] * per_text_ms / 1000)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true", help="also time a full index build (minutes)")
    parser.add_argument("--scale", type=int, default=0, help="also measure a synthetic corpus this many times larger")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bot.engine import Engine

    questions = [json.loads(line)["question"] for line in DEV.read_text().splitlines() if line.strip()]
    report: dict = {"machine": f"{os.cpu_count()} cores", "cold_start": cold_start()}
    engine = Engine.load()
    engine.ask(QUESTION)
    report["per_query"] = latency(engine, questions)
    report["encoder_only"] = encoder_only(engine, questions)
    report["peak_rss_mb_after_queries"] = round(rss_mb())
    per_text = None
    if args.build:
        report["index_build"] = build_times()
        per_text = report["index_build"]["per_text_ms"]
    if args.scale:
        report[f"synthetic_x{args.scale}"] = synthetic_scale(engine, args.scale, questions, per_text)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
