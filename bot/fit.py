"""Fit the ranker and the scope model on the question bank, by cross-validation.

Run by `bot index build` on the index it has just staged; the models go to
``index/fit.json`` with the cross-validated figures, the probe from a
question's vector to its passage (:mod:`bot.retrieval.probe`) to
``index/probe.npy``.  The development set is
never used here: it is only the final check (`bot eval`).

Every bank question is scored as a real question will be: with itself and
its near-duplicates (cosine >= :data:`NEAR_DUPLICATE`: paraphrases, and the
translations of it that were written beside it) left out of the bank,
while its passage keeps its other questions.  The cut is the same for every
passage: leaving out only the question's own passage's paraphrases would
teach the models that a very close bank question points to a wrong passage.  Its
candidates and features come from the same code the engine runs
(:class:`bot.retrieval.search.Search`), its language from the same
detector, its needs from the same signals.

* Probe: a ridge regression from random features of a bank question's
  vector to its passage, a feature of the ranker; while fitting, each
  question is scored by the probe fitted without it and its
  near-duplicates, as by its neighbours.
* Ranker: gradient-boosted trees over the candidates' features (is this
  candidate the question's passage?), cross-validated in folds of
  questions; hit@1, hit@5 and MRR@5 per language and audience.
* Scope: gradient-boosted trees over the question-level features (is the
  question in scope?), on the in-scope questions (with the ranker's
  out-of-fold scores) and the negative bank.  Its thresholds come from the
  out-of-fold probabilities: at most :data:`ABSTAIN_IN_SCOPE` of in-scope
  questions abstained; at most :data:`CAUTION_NEGATIVES` of the negatives
  answered without the "may not match" note.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold
from tqdm import tqdm

from .bank import BankError
from .corpus.load import Corpus
from .danger import DangerExample, DangerModel, likeness, readable, telling_texts
from .i18n.detect import detect
from .i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from .index.layout import FIT, PROBE, PROBE_FEATURES
from .index.store import LoadedIndex
from .retrieval.evidence import FEATURES, SCOPE_FEATURES, Evidence
from .retrieval.fusion import Model, TreeModel
from .retrieval.probe import FittedProbe
from .retrieval.scope import ABSTAIN, Decision, grade
from .retrieval.search import Search
from .sentences import asking_sentence
from .situation import Signals, Situation, default_signals
from .typed import typed_copy

NEAR_DUPLICATE = 0.90  # cosine: a paraphrase of the question, or a translation of it, whatever its passage
UNSUPPORTED_EVERY = 8  # in-scope questions also scored as if in an unsupported language
UNSUPPORTED = "unsupported"  # the language reported for those samples
TYPED = "typed"  # the language reported for questions scored as typed without their marks (bot.typed)
FOLDS = 5
SEED = 0
ABSTAIN_IN_SCOPE = 0.02
ABSTAIN_FLOOR = 0.05  # refused below this whatever the quantile: on a small bank the out-of-fold quantile can fall to ~0
CAUTION_NEGATIVES = 0.05
KIND_PROBE_C = 10.0  # inverse regularisation of the danger kind probe
TREES = 300  # boosted trees of the ranker and the scope model, each at most TREE_DEPTH deep
TREE_DEPTH = 4
LEARNING_RATE = 0.05  # 300 trees at 0.05: hit@1 0.666 out of fold against 0.654 for 100 at 0.1 (2026-12-05)
DANGER_BANK_ALARMS = 0.01  # at most this share of the bank's questions would raise the alarm (cross-validated)
K = 5
# Per scope feature, which way it may move the chance that the sources answer: nearer in-scope questions and a surer
# ranking only raise it, nearer negatives, a place abroad or a later year only lower it.  Unconstrained, the trees may
# learn the bank's accidents, which a new question does not share; constrained, near-domain negatives refused went
# 78.6% -> 79.1% out of fold for the same 2.0% of in-scope questions (2026-12-07).
SCOPE_DIRECTIONS = [{"top": 1, "margin": 1, "best_bank": 1, "best_negative": -1, "bank_top5": 1, "negative_top5": -1,
                     "negative_votes": -1, "best_window": 1, "best_probe": 1, "foreign_country": -1, "after_date": -1,
                     "lexical_bank": 1, "lexical_negative": -1}[f] for f in SCOPE_FEATURES]


@dataclass
class Sample:
    unit: int
    lang: str
    audience: str | None
    category: str | None
    gold: int  # passage row (-1: a negative)
    evidence: Evidence
    proposed: int  # candidates proposed by the signals (the rest were added for training)
    situation: Situation  # what the signals read in it, once, for the query and for the scope report's rules


def _kind_probe() -> LogisticRegression:
    """A linear probe over a message's vector (which kind of danger)."""
    return LogisticRegression(C=KIND_PROBE_C, max_iter=5000)


def _boosted(n: int, monotonic: list[int] | None = None):
    """Boosted trees for ``n`` training rows: a leaf needs 20 rows, fewer on a small bank, or a tiny one could not split at all;
    ``monotonic``: per feature, whether the chance may only rise (1) or only fall (-1) with it."""
    return HistGradientBoostingClassifier(max_iter=TREES, max_depth=TREE_DEPTH, learning_rate=LEARNING_RATE, random_state=SEED,
                                          min_samples_leaf=min(20, max(2, n // 8)), monotonic_cst=monotonic)


def _trees(model: HistGradientBoostingClassifier, names: tuple[str, ...]) -> TreeModel:
    """The fitted trees as plain arrays, for the engine's numpy walk."""
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": nodes["feature_idx"].astype(int).tolist(), "threshold": nodes["num_threshold"].astype(float).tolist(),
            "left": nodes["left"].astype(int).tolist(), "right": nodes["right"].astype(int).tolist(),
            "value": np.where(leaf, nodes["value"], 0.0).astype(float).tolist(), "leaf": leaf.tolist(),
            "depth": int(nodes["depth"].max()),
        })
    return TreeModel.from_trees(names, float(np.ravel(model._baseline_prediction)[0]), trees)


def collect(search: Search, texts: list[str], queries: np.ndarray, progress: bool = False) -> list[Sample]:
    """Every bank question scored with itself and its near-duplicates left out.

    Every :data:`UNSUPPORTED_EVERY`-th in-scope question is scored a second
    time as if written in a language the bot does not support (no lexical
    signal, no bank in its language), as a German or Italian question is:
    otherwise the only such samples would be the negatives in those
    languages, and the models would learn that a language is out of scope.
    A question with a typed copy (Vietnamese without its tone marks, kept
    among the danger units) is scored in that form too, as people type it
    on a borrowed phone: the models learn what dense similarity is worth then.
    ``queries`` holds each question's vector as the engine searches with it
    (:func:`bot.retrieval.search.query_vector`); the bank's neighbours keep
    the whole question's.
    """
    index = search.index
    n = index.bank.ntotal
    vectors = index.bank.reconstruct_n(0, n) if n else np.zeros((0, index.bank.d), dtype=np.float32)
    lims, _, neighbours = index.bank.range_search(vectors, NEAR_DUPLICATE) if n else (np.zeros(1, dtype=np.int64), None, [])
    typed = {int(q): u for u, q in enumerate(index.danger_copy_of_question) if q >= 0}
    signals = default_signals()
    samples = []
    for unit in tqdm(range(n), desc="scoring the bank", unit="question", disable=not progress):
        text = texts[unit]
        bank_lang = index.bank_langs[unit]
        gold = int(index.bank_rows[unit])
        exclude = {int(j) for j in neighbours[lims[unit]: lims[unit + 1]]} | {unit}
        # words matched as the engine matches them: a question in a language we have no index for (German) gets the
        # answer language's, English, whose BM25 still finds the names and cognates it shares
        lang = detect(text).lang or (bank_lang if bank_lang in LANGUAGES else SOURCE_LANGUAGE)
        asking = asking_sentence(text)
        forms = [(text, queries[unit], lang, bank_lang, asking)]
        if gold >= 0 and unit % UNSUPPORTED_EVERY == 0:
            forms.append((text, queries[unit], None, UNSUPPORTED, asking))
        if unit in typed:
            copy = typed_copy(text) or text
            forms.append((copy, index.danger.reconstruct(typed[unit]), detect(copy).lang or lang, TYPED, None))
        for form, vector, lang, sample_lang, asking in forms:
            situation = signals.read(form)
            query = search.query(form, vector, lang, situation, asking)
            evidence = search.evidence(query, exclude)
            proposed = len(evidence.rows)
            if gold >= 0 and gold not in evidence.rows:
                evidence = search.evidence(query, exclude, extra_rows=(gold,))
            samples.append(Sample(unit, sample_lang, index.bank_audiences[unit], index.bank_categories[unit], gold, evidence, proposed,
                                  situation))
    return samples


def _rank_of_gold(search: Search, sample: Sample, ranker: Model) -> int | None:
    evidence = _proposed(sample)
    ranking = search.rank(evidence, ranker)
    sample.evidence.scope.update(evidence.scope)  # top and margin as the engine will see them
    hits = np.nonzero(ranking.rows[:K] == sample.gold)[0]
    return int(hits[0]) + 1 if hits.size else None


def _proposed(sample: Sample) -> Evidence:
    e = sample.evidence
    p = sample.proposed
    return Evidence(e.rows[:p], e.features[:p], e.best_unit[:p], e.best_question[:p], dict(e.scope), e.negative_category, e.abroad, e.asked_abroad)


def _figures(ranks: list[int | None]) -> dict:
    n = max(len(ranks), 1)
    return {
        "n": len(ranks),
        "hit@1": round(sum(r == 1 for r in ranks) / n, 3),
        "hit@5": round(sum(r is not None for r in ranks) / n, 3),
        "mrr@5": round(sum(1 / r for r in ranks if r) / n, 3),
    }


def _folds(smallest_class: int) -> int:
    """Folds for cross-validation (a tiny bank, as in the tests' throw-away projects, gets fewer)."""
    return max(2, min(FOLDS, smallest_class))


def fit_ranker(search: Search, samples: list[Sample]) -> tuple[TreeModel, dict]:
    positives = [s for s in samples if s.gold >= 0]
    ranks: dict[int, int | None] = {}
    folds = GroupKFold(_folds(len({s.unit for s in positives})), shuffle=True, random_state=SEED)  # a question and its unsupported-language copy in one fold
    for train, test in folds.split(positives, groups=[s.unit for s in positives]):
        model = _train_ranker([positives[i] for i in train])
        for i in test:
            ranks[i] = _rank_of_gold(search, positives[i], model)
    final = _train_ranker(positives)
    by_lang: dict[str, list] = defaultdict(list)
    by_audience: dict[str, list] = defaultdict(list)
    for i, s in enumerate(positives):
        by_lang[s.lang].append(ranks[i])
        if s.lang not in (UNSUPPORTED, TYPED):
            by_audience[s.audience or "?"].append(ranks[i])
    report = {
        "all": _figures([ranks[i] for i, s in enumerate(positives) if s.lang not in (UNSUPPORTED, TYPED)]),
        "by_language": {k: _figures(v) for k, v in sorted(by_lang.items())},
        "by_audience": {k: _figures(v) for k, v in sorted(by_audience.items())},
    }
    return final, report


def _train_ranker(samples: list[Sample]) -> TreeModel:
    x = np.concatenate([s.evidence.features for s in samples])
    y = np.concatenate([s.evidence.rows == s.gold for s in samples])
    return _trees(_boosted(len(y)).fit(x, y), FEATURES)


def fit_scope(search: Search, samples: list[Sample], ranker: Model) -> tuple[dict, dict]:
    for s in samples:
        if s.gold < 0:  # negatives were never ranker training data: the final ranker scores them
            evidence = _proposed(s)
            search.rank(evidence, ranker)
            s.evidence.scope.update(evidence.scope)
    x = np.array([[s.evidence.scope[f] for f in SCOPE_FEATURES] for s in samples], dtype=np.float32)
    y = np.array([s.gold >= 0 for s in samples])
    oof = np.zeros(len(samples))
    weights = np.where(y, 1.0, y.sum() / max((~y).sum(), 1))  # the two classes weigh the same
    folds = StratifiedGroupKFold(_folds(int(min(y.sum(), (~y).sum()))), shuffle=True, random_state=SEED)
    for train, test in folds.split(x, y, groups=[s.unit for s in samples]):
        oof[test] = _boosted(len(train), SCOPE_DIRECTIONS).fit(x[train], y[train], sample_weight=weights[train]).predict_proba(x[test])[:, 1]
    abstain_below = max(float(np.quantile(oof[y], ABSTAIN_IN_SCOPE)), ABSTAIN_FLOOR)
    caution_below = max(float(np.quantile(oof[~y], 1 - CAUTION_NEGATIVES)), abstain_below)
    model = _trees(_boosted(len(y), SCOPE_DIRECTIONS).fit(x, y, sample_weight=weights), SCOPE_FEATURES)
    # The report measures the engine's whole policy: the model's grade, then the rules of Search.guarded (a minor
    # whose best passage is about children is answered; a question about a place abroad is refused unless its best
    # passage is about that place).
    def policy(p: float, sample: Sample) -> Decision:
        return search.guarded(grade(p, abstain_below, caution_below, sample.evidence.scope, sample.evidence.negative_category),
                              sample.evidence, search.rank(_proposed(sample), ranker), "return_home" in sample.situation.needs,
                              sample.situation.minor)

    refused = np.array([policy(float(p), s).grade == ABSTAIN for p, s in zip(oof, samples)])

    def shares(mask: np.ndarray) -> dict:
        n = max(int(mask.sum()), 1)
        return {"n": int(mask.sum()), "abstained": round(float(refused[mask].sum()) / n, 3),
                "cautioned": round(float((~refused[mask] & (oof[mask] < caution_below)).sum()) / n, 3)}

    langs = sorted({s.lang for s in samples})
    categories = sorted({s.category for s in samples if s.category})
    report = {
        "in_scope": shares(y),
        "negative": shares(~y),
        "negative_near": shares(np.array([s.gold < 0 and s.category != "off_topic" for s in samples])),
        "negative_by_category": {c: shares(np.array([s.category == c for s in samples])) for c in categories},
        "in_scope_by_language": {l: shares(y & np.array([s.lang == l for s in samples])) for l in langs},
        "negative_by_language": {l: shares(~y & np.array([s.lang == l for s in samples])) for l in langs},
    }
    scope = {**model.to_dict(), "thresholds": {"abstain_below": round(abstain_below, 6), "caution_below": round(caution_below, 6)}}
    return scope, report


def fit_danger(index: LoadedIndex, examples: list[DangerExample], texts: list[str], told: set[str] = frozenset(),
               danger_now: set[str] = frozenset()) -> tuple[dict | None, dict]:
    """The danger model: the likeness threshold, and the kind probe, on the danger examples and the bank.

    A bank question that is also a danger example (a rights question that
    tells of danger now: "I'm 14 and they beat me, who do I call?") is not
    taken for "not danger", nor is a situation told without a question
    (``told``): "we sleep at the building site and the boss keeps our
    passports" hid "we are five in the site's basement, the guard does not
    let us out" when it was (held-out recall 0.961 -> 0.935, 2026-12-06),
    nor a question that tells of danger now (``danger_now``: 1,704 more
    victims' questions, 96 of them such, lowered the test sets' recall,
    0.984 -> 0.978 and 0.968 -> 0.961, until they were left out).
    How many of those situations would raise the alarm is reported.  The
    threshold is the lowest at which, each bank question left out of the
    bank (and its typed copy out of the danger units), at most
    :data:`DANGER_BANK_ALARMS` of the bank's other questions would raise the
    alarm, the curated phrases included; the recall it leaves on the danger
    examples, each left out with its copy, is reported per language.
    """
    kinds = index.danger_kinds
    danger = kinds != "none"
    if not danger.any() or danger.all():
        return None, {}
    signals = default_signals()
    telling_set = telling_texts(examples, told, danger_now)
    telling = np.array([t in telling_set for t in texts])
    situations = np.array([t in told for t in texts])
    ordinary = np.nonzero(~telling)[0]
    bank_x = index.bank.reconstruct_n(0, index.bank.ntotal)
    question_copy = _copies(index.danger_copy_of_question, len(texts))
    bank_scores = likeness(index, bank_x[ordinary], telling, own_question=ordinary, own_example=question_copy[ordinary])
    bank_phrases = np.array([bool(signals.danger_in(texts[i])) for i in ordinary])
    threshold = _alarm_threshold(bank_scores, bank_phrases, DANGER_BANK_ALARMS)
    units_x = index.danger.reconstruct_n(0, index.danger.ntotal)
    n = len(examples)  # the examples come first, their typed copies after
    own = np.column_stack([np.arange(n), _copies(index.danger_copy_of_example, n)])
    example_alarms = (((likeness(index, units_x[:n], telling, own_example=own) >= threshold) & np.array([readable(e.text) for e in examples]))
                      | np.array([bool(signals.danger_in(e.text)) for e in examples]))
    kind_of = _kind_probe().fit(units_x[danger], kinds[danger])
    model = DangerModel(threshold, telling, kind_of.coef_.astype(np.float32), kind_of.intercept_.astype(np.float32),
                        tuple(kind_of.classes_))
    langs = sorted({e.lang for e in examples})
    lang_of = np.array([e.lang for e in examples])
    report = {
        "examples_recall": round(float(example_alarms[danger[:n]].mean()), 3),
        "look_alike_alarms": round(float(example_alarms[~danger[:n]].mean()), 3),
        "bank_alarms": round(float(((bank_scores >= threshold) | bank_phrases).mean()), 4),
        "told_alarms": _told_alarms(index, bank_x, texts, telling, situations, threshold, signals),
        "recall_by_language": {l: round(float(example_alarms[danger[:n] & (lang_of == l)].mean()), 3) for l in langs},
        "typed_copies": {"examples": int((index.danger_copy_of_example >= 0).sum()),
                            "questions": int((index.danger_copy_of_question >= 0).sum())},
    }
    return model.to_dict(), report


def _copies(copy_of: np.ndarray, count: int) -> np.ndarray:
    """Per original (an example, a bank question), the danger unit that is its typed copy, or -1."""
    copy = np.full(count, -1, dtype=np.int64)
    at = np.nonzero(copy_of >= 0)[0]
    copy[copy_of[at]] = at
    return copy


def _told_alarms(index: LoadedIndex, bank_x: np.ndarray, texts: list[str], telling: np.ndarray, situations: np.ndarray,
                 threshold: float, signals: Signals) -> float | None:
    """The share of the bank's situations told without a question that would raise the alarm (each left out)."""
    rows = np.nonzero(situations)[0]
    if not len(rows):
        return None
    scores = likeness(index, bank_x[rows], telling, own_question=rows)
    phrases = np.array([bool(signals.danger_in(texts[i])) for i in rows])
    return round(float(((scores >= threshold) | phrases).mean()), 3)


def _alarm_threshold(scores: np.ndarray, phrases: np.ndarray, share: float) -> float:
    """The lowest threshold at which ``scores >= threshold`` or ``phrases`` flags at most ``share`` of the items."""
    left = int(share * len(scores)) - int(phrases.sum())  # alarms the likeness may add to the phrases'
    others = np.sort(scores[~phrases])[::-1]
    if left >= len(others):
        return float(others[-1]) if len(others) else 0.0
    if left <= 0:
        return float(others[0]) + 1e-6 if len(others) else 0.0
    return float(np.nextafter(others[left], np.inf))


def fit(index: LoadedIndex, corpus: Corpus, texts: list[str], queries: np.ndarray, examples: list[DangerExample], directory: Path,
        told: set[str] = frozenset(), danger_now: set[str] = frozenset(), progress: bool = False) -> dict:
    """Fit the models on the bank and the danger examples of ``index``; write ``fit.json`` into ``directory``.

    ``queries``: each bank question's vector as the engine searches with it (see :func:`collect`); ``told``:
    the bank's situations told without a question (:attr:`bot.bank.BankQuestion.told`); ``danger_now``: its
    questions that tell of danger now (:attr:`bot.bank.BankQuestion.danger_now`)."""
    started = time.monotonic()
    if min(int((index.bank_rows >= 0).sum()), int((index.bank_rows < 0).sum())) < 2:
        raise BankError("the question bank needs at least two in-scope and two negative questions to learn "
                        "which passage answers and when to abstain: add them to corpus/questions/")
    vectors = index.bank.reconstruct_n(0, index.bank.ntotal)
    index.probe = FittedProbe(vectors, index.bank_rows, len(corpus.passages))
    np.save(directory / PROBE, index.probe.weights, allow_pickle=False)
    np.save(directory / PROBE_FEATURES, index.probe.features, allow_pickle=False)
    search = Search(index, corpus)
    samples = collect(search, texts, queries, progress)
    ranker, ranking_report = fit_ranker(search, samples)
    scope, scope_report = fit_scope(search, samples, ranker)
    danger, danger_report = fit_danger(index, examples, texts, told, danger_now)
    result = {
        "ranker": ranker.to_dict(),
        "scope": scope,
        "danger": danger,
        "cross_validation": {"ranking": ranking_report, "scope": scope_report, "danger": danger_report},
        "method": {"near_duplicate": NEAR_DUPLICATE, "folds": FOLDS, "abstain_in_scope": ABSTAIN_IN_SCOPE, "danger_bank_alarms": DANGER_BANK_ALARMS,
                   "caution_negatives": CAUTION_NEGATIVES},
        "seconds": round(time.monotonic() - started, 1),
    }
    (directory / FIT).write_text(json.dumps(result, indent=1) + "\n")
    return result
