"""The question bank (``corpus/questions/``): how people ask, keyed to the passage that answers.

The engine finds a passage less by comparing a question with report prose
than with the questions people would type that the passage answers ("they
took my passport, can I still get papers?" -> the passage on residence
permits without a passport).  Files:

* ``<lang>.jsonl`` -- one in-scope question per line: the passage id, a
  hash of the passage text it was written for, who asks (victim, mediator,
  professional), the question, the kind of number it asks for if any, for
  a passage with several rights cards the card that answers it (or
  ``"none"``), and its review record;
* ``negative.jsonl`` -- questions the sources do not answer, with their
  category (another country, after the sources' dates, French
  administration...), so the engine learns where the sources stop;
* ``REVIEW.md`` -- how the bank was written and checked.

A question counts only while its passage exists with the text it was
written for: when a new edition changes a passage, the passage's questions
become stale and are left out (exactly as a fuzzy translation is) until a
reviewer accepts them again with ``bot questions accept PASSAGE``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import paths
from .atomic import write_text_atomic

QUESTIONS_DIR = "questions"
NEGATIVE_FILE = "negative.jsonl"
NO_CARD = "none"  # a question none of its passage's rights cards answers (BankQuestion.card)
CATEGORIES = (
    "other_country", "after_date", "french_admin", "labour_law", "asylum", "health", "offices",
    "write_translate", "legal_other", "personal_advice", "off_topic",
)


class BankError(ValueError):
    """A bank file is damaged; the message names the file, the line and the fix."""


class Review(BaseModel):
    """Who wrote an entry and who checked it: AI-written text stays labelled so until a person reviews it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    written_by: Literal["ai", "person"]
    checked_by: Literal["ai", "person"] | None = None
    note: str | None = None


class BankQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    passage: str = Field(pattern=r"^[a-z0-9]+-[0-9a-f]{8}$")
    hash: str = Field(pattern=r"^[0-9a-f]{12}$")
    audience: Literal["victim", "mediator", "professional"]
    question: str = Field(min_length=2, max_length=600)
    asks: Literal["phone", "duration", "amount", "article", "count", "date"] | None = None
    # True: a situation told without a question ("the madam keeps my passport and says I owe her 35000"). It
    # teaches retrieval and abstention how victims write, but is never taken for a message that is not danger
    # now: the same words may tell a danger calmly (bot.danger).
    told: bool | None = None
    # True: the question tells of danger now ("they keep me in the flat and the landlady beats me, is there a free
    # number?"), as two independent labellers read it. It teaches retrieval how victims ask, but is never taken
    # for a message that is not danger now, where it would hide danger told alike (bot.danger).
    danger_now: bool | None = None
    # For a passage with several rights cards: the one that answers this question, or NO_CARD when none does (it asks
    # about a part no card sums up), as two independent labellers agreed. The engine shows the card that the labelled
    # questions nearest to a message vote for (Engine.card_for): likeness to the cards' own short text chose "a
    # 10-year permit after a conviction" for "if I go to the police without a passport, will they jail me?".
    card: str | None = Field(default=None, pattern=r"^[a-z0-9_]+$")
    review: Review


class NegativeQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    lang: str = Field(pattern=r"^[a-z]{2,3}$")
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    near: bool
    question: str = Field(min_length=2, max_length=600)
    review: Review


def text_hash(text: str) -> str:
    """The hash a bank entry records of its passage's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Entry:
    """A current in-scope question, ready for indexing."""

    lang: str
    passage: str
    audience: str
    question: str
    asks: str | None
    told: bool = False  # a situation told without a question (BankQuestion.told)
    danger_now: bool = False  # it tells of danger now (BankQuestion.danger_now)
    card: str | None = None  # the rights card that answers it, or NO_CARD (BankQuestion.card)


@dataclass
class Bank:
    questions: list[Entry]  # current: the passage exists with the text they were written for
    negatives: list[NegativeQuestion]
    stale: list[tuple[str, BankQuestion]] = field(default_factory=list)  # (lang, entry)

    def per_passage(self) -> Counter[str]:
        return Counter(q.passage for q in self.questions)


def bank_dir() -> Path:
    return paths.corpus_dir() / QUESTIONS_DIR


def read_lines(path: Path, model: type[BaseModel]) -> list:
    """Every entry of a curated JSON Lines file, validated; a damaged line is refused with its number."""
    entries = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BankError(f"{path}: unreadable ({exc}); restore it from git (`git checkout -- {path.name}`)") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            entries.append(model.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise BankError(f"{path}:{n}: not a valid bank entry ({first}); fix or delete that line") from exc
    return entries


def question_files(directory: Path | None = None) -> dict[str, Path]:
    """Language code -> its in-scope question file."""
    directory = directory or bank_dir()
    return {p.stem: p for p in sorted(directory.glob("*.jsonl")) if p.name != NEGATIVE_FILE}


def bank_hash(directories: tuple[Path, ...] | None = None) -> str:
    """sha256 over every curated example file the index encodes (the bank, the danger examples).

    An index built from other examples is stale."""
    directories = directories or (bank_dir(), paths.corpus_dir() / "danger")
    digest = hashlib.sha256()
    for directory in directories:
        for path in sorted(directory.glob("*.jsonl")):
            digest.update(f"{directory.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_bank(passages: list[dict], directory: Path | None = None) -> Bank:
    """The current bank for these passages; stale entries are set apart, not used."""
    directory = directory or bank_dir()
    texts = {p["id"]: p["text"] for p in passages}
    hashes = {pid: text_hash(text) for pid, text in texts.items()}
    current: list[Entry] = []
    stale: list[tuple[str, BankQuestion]] = []
    for lang, path in question_files(directory).items():
        for q in read_lines(path, BankQuestion):
            if hashes.get(q.passage) == q.hash:
                current.append(Entry(lang, q.passage, q.audience, q.question, q.asks, bool(q.told), bool(q.danger_now), q.card))
            else:
                stale.append((lang, q))
    negative_path = directory / NEGATIVE_FILE
    negatives = read_lines(negative_path, NegativeQuestion) if negative_path.exists() else []
    return Bank(current, negatives, stale)


# Maintenance: what a new edition of a source does to the bank ---------------


@dataclass
class Status:
    current: Counter[str]  # per language
    stale: Counter[str]
    negatives: Counter[str]
    near_share: float
    without_questions: list[str]  # searchable passages that no current question points to


def status(passages: list[dict], bank: Bank) -> Status:
    searchable = [p["id"] for p in passages if not p.get("duplicate_of") and not p.get("outside_france")]
    asked = bank.per_passage()
    return Status(
        current=Counter(q.lang for q in bank.questions),
        stale=Counter(lang for lang, _ in bank.stale),
        negatives=Counter(n.lang for n in bank.negatives),
        near_share=sum(n.near for n in bank.negatives) / max(len(bank.negatives), 1),
        without_questions=[pid for pid in searchable if not asked[pid]],
    )


def _rewrite(path: Path, entries: list) -> None:
    lines = [json.dumps(e.model_dump(exclude_none=True), ensure_ascii=False) for e in entries]
    write_text_atomic(path, "\n".join(lines) + "\n")


def rekey(successors: dict[str, str], directory: Path | None = None) -> int:
    """Point questions of passages that a new edition replaced at their successors.

    Like ``pybabel update`` with fuzzy matching: the questions follow the
    text they were written for (``successors`` comes from `bot corpus
    build`), but keep their old hash, so they stay stale until a reviewer
    accepts them.  Returns how many were re-keyed.
    """
    moved = 0
    for path in question_files(directory).values():
        entries = read_lines(path, BankQuestion)
        if not any(e.passage in successors for e in entries):
            continue
        updated = [e.model_copy(update={"passage": successors[e.passage]}) if e.passage in successors else e for e in entries]
        moved += sum(e.passage in successors for e in entries)
        _rewrite(path, updated)
    return moved


def accept(passage: dict, directory: Path | None = None, reviewer: Literal["ai", "person"] = "person") -> int:
    """A reviewer confirms that a changed passage still answers its questions: they become current."""
    accepted = 0
    for path in question_files(directory).values():
        entries = read_lines(path, BankQuestion)
        updated = []
        for e in entries:
            if e.passage == passage["id"] and e.hash != text_hash(passage["text"]):
                review = e.review.model_copy(update={"checked_by": reviewer})
                e = e.model_copy(update={"hash": text_hash(passage["text"]), "review": review})
                accepted += 1
            updated.append(e)
        if accepted:
            _rewrite(path, updated)
    return accepted


VERDICTS = ("keep", "drop", "fix")
FIXABLE = ("audience", "asks", "category", "near")  # what a second reader's "fix" may change


def read_verdicts(path: Path) -> dict[int, dict]:
    """A second reader's verdicts, ``{"line": n, "verdict": keep | drop | fix, ...}`` per line judged."""
    verdicts: dict[int, dict] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            v = json.loads(line)
            verdicts[int(v["line"])] = v
            if v["verdict"] not in VERDICTS:
                raise ValueError(f"verdict {v['verdict']!r}")
        except (ValueError, KeyError, TypeError) as exc:
            raise BankError(f"{path}:{n}: not a verdict ({exc}); write {{\"line\": N, \"verdict\": \"keep\" | \"drop\" | \"fix\"}}") from exc
    return verdicts


def review(path: Path, verdicts: Path, checker: Literal["ai", "person"]) -> Counter[str]:
    """A second reader's verdicts on the entries of one bank file, by line number: kept entries are marked
    checked, fixed ones corrected (``"asks": null`` removes the kind of number), dropped ones removed."""
    model: type[BaseModel] = NegativeQuestion if path.name == NEGATIVE_FILE else BankQuestion
    entries = read_lines(path, model)
    review_of = read_verdicts(verdicts)
    outside = sorted(n for n in review_of if not 1 <= n <= len(entries))
    if outside:
        raise BankError(f"{verdicts}: verdicts for lines {outside[:5]} but {path.name} has {len(entries)} lines; "
                        "were the verdicts written for another version of the file?")
    counts: Counter[str] = Counter()
    kept = []
    for n, entry in enumerate(entries, 1):
        v = review_of.get(n)
        if v is None:
            counts["not judged"] += 1
            kept.append(entry)
            continue
        counts[v["verdict"]] += 1
        if v["verdict"] == "drop":
            continue
        note = v.get("reason") if v["verdict"] == "fix" else entry.review.note
        update = {k: v[k] for k in FIXABLE if k in v and k in model.model_fields} if v["verdict"] == "fix" else {}
        data = {**entry.model_dump(), **update, "review": entry.review.model_copy(update={"checked_by": checker, "note": note})}
        kept.append(model.model_validate(data))
    _rewrite(path, kept)
    return counts


def import_drafts(passages: list[dict], drafts: Path, verdicts: Path | None, writer: str, checker: str | None,
                  directory: Path | None = None, lang: str = "en") -> Counter[str]:
    """Add reviewed draft questions to the bank; returns counts of what was added, dropped and refused.

    A draft line is ``{"passage", "audience", "question", "asks"?, "told"?, "lang"?}``
    (in scope) or ``{"lang", "category", "near", "question"}`` (negative);
    ``verdicts`` holds the second reader's ``{"line", "verdict": keep | drop |
    fix, ...}`` for each line.  A kept question is keyed to its passage's
    current text; a passage that does not exist, a question already in the
    bank, or a line without a verdict is refused.
    """
    directory = directory or bank_dir()
    texts = {p["id"]: p["text"] for p in passages}
    review_of = read_verdicts(verdicts) if verdicts is not None else {}
    counts: Counter[str] = Counter()
    added: dict[Path, list[str]] = {}
    existing = {(path, line) for path in directory.glob("*.jsonl") for line in path.read_text(encoding="utf-8").splitlines()}
    seen_questions = {json.loads(line)["question"] for _, line in existing if line.strip()}
    for n, raw in enumerate(drafts.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        draft = json.loads(raw)
        if "skip" in draft:
            counts["skipped passage"] += 1
            continue
        verdict = review_of.get(n, {"verdict": "keep"} if verdicts is None else None)
        if verdict is None:
            counts["refused: no verdict"] += 1
            continue
        if verdict["verdict"] == "drop":
            counts["dropped by the reviewer"] += 1
            continue
        if verdict["verdict"] == "fix":
            draft.update({k: verdict[k] for k in FIXABLE if k in verdict})
        if draft["question"] in seen_questions:
            counts["refused: already in the bank"] += 1
            continue
        review = Review(written_by=writer, checked_by=checker, note=verdict.get("reason") if verdict["verdict"] == "fix" else None)
        if "category" in draft:
            entry: BaseModel = NegativeQuestion(lang=draft["lang"], category=draft["category"], near=draft["near"],
                                                question=draft["question"], review=review)
            path = directory / NEGATIVE_FILE
        else:
            if draft["passage"] not in texts:
                counts["refused: no such passage"] += 1
                continue
            entry = BankQuestion(passage=draft["passage"], hash=text_hash(texts[draft["passage"]]), audience=draft["audience"],
                                 question=draft["question"], asks=draft.get("asks"), told=draft.get("told") or None, review=review)
            path = directory / f"{draft.get('lang', lang)}.jsonl"
        seen_questions.add(draft["question"])
        added.setdefault(path, []).append(json.dumps(entry.model_dump(exclude_none=True), ensure_ascii=False))
        counts["added"] += 1
    directory.mkdir(parents=True, exist_ok=True)
    for path, lines in added.items():
        before = path.read_text(encoding="utf-8") if path.exists() else ""
        write_text_atomic(path, before + "\n".join(lines) + "\n")
    return counts
