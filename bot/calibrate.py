"""Tune fusion weights and the abstention threshold on a question set.

`bot eval FILE --calibrate` runs this and writes ``corpus/calibration.json``,
keyed by encoder (cosine scales differ between encoders).  The engine reads
it at load time; nothing is guessed.

* Weights: a coarse grid, scored by MRR@5.  To avoid fitting the noise of a
  small question set, each grid point is judged by the mean MRR of itself
  and its immediate neighbours, and the smoothest best point wins.
* Threshold: the engine abstains when the best passage's dense similarity
  is below it.  It sits in the middle of the widest gap between scores that keeps the
  errors cheapest (see :func:`tune_threshold`).
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from . import paths
from .evaluate import Item, score
from .retrieve import Weights

CALIBRATION_FILE = "calibration.json"
GRID = {
    "window": (0.4, 0.5, 0.6, 0.7, 0.8),
    "lexical_source": (0.0, 0.25, 0.5, 0.75),
    "lexical_translated": (0.0, 0.15, 0.3, 0.45),
    "terms": (0.0, 0.1, 0.2, 0.3),
    "needs": (0.0, 0.5, 1.0),
}


def calibration_path() -> Path:
    return paths.corpus_dir() / CALIBRATION_FILE


def load_calibration(encoder_id: str) -> dict | None:
    path = calibration_path()
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(encoder_id)


def _mrr(engine, items: list[Item], weights: Weights) -> float:
    answers = [engine.ask(i.question, weights=weights, abstain_below=-1.0) for i in items]
    return score(items, answers).as_dict()["mrr@5"]


def tune_weights(engine, items: list[Item], progress=None) -> tuple[Weights, dict]:
    keys = list(GRID)
    shape = [len(GRID[k]) for k in keys]
    mrr = np.zeros(shape)
    for point in itertools.product(*(range(n) for n in shape)):
        weights = Weights(**{k: GRID[k][i] for k, i in zip(keys, point)})
        mrr[point] = _mrr(engine, items, weights)
        if progress:
            progress()
    smooth = np.zeros(shape)
    for point in itertools.product(*(range(n) for n in shape)):
        neighbours = [point]
        for axis in range(len(shape)):
            for step in (-1, 1):
                j = point[axis] + step
                if 0 <= j < shape[axis]:
                    neighbours.append(point[:axis] + (j,) + point[axis + 1:])
        smooth[point] = np.mean([mrr[n] for n in neighbours])
    best = np.unravel_index(int(np.argmax(smooth)), shape)
    weights = Weights(**{k: GRID[k][i] for k, i in zip(keys, best)})
    return weights, {"mrr@5": float(mrr[best]), "smoothed_mrr@5": float(smooth[best])}


def tune_threshold(top_scores: list[tuple[float, bool]]) -> tuple[float, dict]:
    """Threshold from (best dense score, in scope?) pairs.

    Every gap between two consecutive scores is a candidate; the cost of a
    threshold counts an abstention on a real question twice (a frightened
    person left without an answer) and an answered out-of-scope question
    once.  Among the cheapest candidates the widest gap wins, and the
    threshold sits in its middle.
    """
    ordered = sorted(top_scores)
    best: tuple[float, float, float] | None = None  # (cost, -gap, threshold)
    for (low, _), (high, _) in zip(ordered, ordered[1:]):
        if high <= low:
            continue
        threshold = (low + high) / 2
        cost = 2 * sum(s < threshold for s, ok in ordered if ok) + sum(s >= threshold for s, ok in ordered if not ok)
        candidate = (cost, -(high - low), threshold)
        best = candidate if best is None or candidate < best else best
    threshold = round(best[2], 4) if best else 0.0
    stats = {
        "out_of_scope_abstained": sum(s < threshold for s, ok in ordered if not ok),
        "out_of_scope": sum(not ok for _, ok in ordered),
        "in_scope_abstained": sum(s < threshold for s, ok in ordered if ok),
        "margin": round(-best[1], 4) if best else 0.0,
    }
    return threshold, stats


def calibrate(engine, items: list[Item], source: str, progress=None) -> dict:
    weights, weight_stats = tune_weights(engine, items, progress)
    tops = []
    for item in items:
        answer = engine.ask(item.question, weights=weights, abstain_below=-1.0)
        tops.append((answer.best_dense, bool(item.gold)))
    threshold, threshold_stats = tune_threshold(tops)
    entry = {
        "weights": asdict(weights),
        "abstain_below": threshold,
        "tuned_on": source,
        "questions": len(items),
        "date": time.strftime("%Y-%m-%d"),
        **weight_stats,
        **threshold_stats,
    }
    path = calibration_path()
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data[engine.encoder.id] = entry
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return entry
