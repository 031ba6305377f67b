"""`bot corpus build`: sources -> cleaned documents, passages, measures.

Outputs, all under ``corpus/built/`` (committed, so a maintainer can review
in a diff what a new edition or a cleaning change did):

* ``<doc>.txt`` — the cleaned document; passages hold offsets into it;
* ``passages.jsonl`` — one passage per line;
* ``measures.json`` — the evaluated action-plan measures with their status;
* ``manifest.json`` — hashes of the sources and of the passages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy

from .. import paths
from ..atomic import write_text_atomic
from ..bank import rekey
from ..textnorm import fold
from .clean import CleanReport, clean_lines
from .segment import Passage, cut_passages, move_footnotes, render
from .files import MANIFEST_FILE, MEASURES_FILE, PASSAGES_FILE
from .sources import Source, load_sources, sources_hash
from .topics import load_topics, tag
from .structure import Measure, casing_from, mark_outside_france, structure_generic, structure_measures, subheading_sections

SUCCESSOR_SIMILARITY = 80.0  # text similarity (0-100) for a new passage to inherit an old one's questions


@dataclass
class DocumentResult:
    source: Source
    text: str
    passages: list[Passage]
    measures: list[Measure]
    report: CleanReport
    outside_sections: list[str] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)  # passages on another country's practice

    @property
    def sections(self) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.passages:
            seen.setdefault(" › ".join(p.section), None)
        return list(seen)


def process(source: Source) -> DocumentResult:
    """Clean, structure and segment one source document."""
    report = CleanReport()
    cleaning = source.cleaning
    lines = clean_lines(source.read(), cleaning, report)
    casing = casing_from(source.read())
    front = cleaning.get("front_section", "Introduction")
    measures: list[Measure] = []
    if "measures" in cleaning:
        blocks, measures = structure_measures(lines, source.title, front, casing, cleaning["measures"])
        subheading_sections(blocks)
    else:
        blocks = structure_generic(lines, source.title, front, casing)
    outside = mark_outside_france(blocks, cleaning.get("service_lists_outside_france"))
    blocks = move_footnotes(blocks)
    text = render(blocks)
    prefix = cleaning.get("passage_prefix", source.id)
    passages = cut_passages(source.id, prefix, text, blocks)
    topics = load_topics()
    for passage in passages:
        if not passage.outside_france:  # foreign service lists are never victim-facing here
            passage.topics = tag(passage.text, topics)
    compared = mark_other_country_practice(passages, cleaning.get("other_country_practice", []))
    return DocumentResult(source, text, passages, measures, report, outside, compared)


def mark_other_country_practice(passages: list[Passage], specs: list[dict]) -> list[str]:
    """Flag the passages that describe another country's practice (the UK's referral mechanism...).

    The source's metadata names them, by section or by a phrase of their
    text: the evaluator describes them as models for France, and a victim
    must never read them as French law.  Returns the flagged passage ids.
    """
    flagged = []
    for spec in specs:
        sections = {fold(s) for s in spec.get("sections", [])}
        phrases = [fold(t) for t in spec.get("contains", [])]
        for passage in passages:
            if sections & {fold(s) for s in passage.section} or any(t in fold(passage.text) for t in phrases):
                passage.practice_of = spec["country"]
                passage.topics = []  # not a right a victim has in France
                flagged.append(passage.id)
    return flagged


def successors(old: list[dict], new: list[dict]) -> dict[str, str]:
    """Old passage id -> the new passage that replaced it (a new edition changed its text).

    Passage ids derive from their text, so a changed passage gets a new id;
    its questions follow it to the most similar new text, as ``pybabel
    update`` carries a changed translation over as fuzzy.
    """
    new_ids = {p["id"] for p in new}
    added = {p["id"]: p["text"] for p in new if p["id"] not in {q["id"] for q in old}}
    out: dict[str, str] = {}
    for p in old:
        if p["id"] in new_ids or not added:
            continue
        match = fuzzy.extractOne(p["text"], added, scorer=fuzz.ratio, score_cutoff=SUCCESSOR_SIMILARITY)
        if match:
            out[p["id"]] = match[2]
    return out


def build(out_dir: Path | None = None, sources_dir: Path | None = None) -> BuildReport:
    """Run the pipeline over every source and write the outputs atomically.

    Building the project's own corpus (no ``out_dir``) also moves the bank
    questions of changed passages to their successors, as stale."""
    project = out_dir is None
    out_dir = out_dir or paths.built_corpus_dir()
    sources = load_sources(sources_dir)
    results = [process(s) for s in sources]
    out_dir.mkdir(parents=True, exist_ok=True)
    old_path = out_dir / PASSAGES_FILE
    old = [json.loads(line) for line in old_path.read_text(encoding="utf-8").splitlines() if line] if old_path.exists() else []
    for result in results:
        write_text_atomic(out_dir / f"{result.source.id}.txt", result.text)
    lines = [json.dumps(p.to_json(), ensure_ascii=False) for r in results for p in r.passages]
    passages_text = "\n".join(lines) + "\n"
    write_text_atomic(out_dir / PASSAGES_FILE, passages_text)
    measures = {r.source.id: [asdict(m) for m in r.measures] for r in results if r.measures}
    write_text_atomic(out_dir / MEASURES_FILE, json.dumps(measures, ensure_ascii=False, indent=1) + "\n")
    manifest = {
        "sources_hash": sources_hash(sources),
        "passages_hash": hashlib.sha256(passages_text.encode()).hexdigest(),
        "passages": sum(len(r.passages) for r in results),
    }
    write_text_atomic(out_dir / MANIFEST_FILE, json.dumps(manifest, indent=1) + "\n")
    rekeyed = rekey(successors(old, [p.to_json() for r in results for p in r.passages])) if project else 0
    return BuildReport(results, rekeyed)


@dataclass
class BuildReport:
    documents: list[DocumentResult]
    rekeyed_questions: int  # bank questions that followed a changed passage (stale until reviewed)
