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

from .. import paths
from ..atomic import write_text_atomic
from .clean import CleanReport, clean_lines
from .segment import Passage, cut_passages, move_footnotes, render
from .sources import Source, load_sources
from .topics import load_topics, tag
from .structure import Measure, casing_from, mark_outside_france, structure_generic, structure_measures, subheading_sections

PASSAGES_FILE = "passages.jsonl"
MEASURES_FILE = "measures.json"
MANIFEST_FILE = "manifest.json"


@dataclass
class DocumentResult:
    source: Source
    text: str
    passages: list[Passage]
    measures: list[Measure]
    report: CleanReport
    outside_sections: list[str] = field(default_factory=list)

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
    return DocumentResult(source, text, passages, measures, report, outside)


def sources_hash(sources: list[Source]) -> str:
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.path.read_bytes())
        digest.update((source.directory / f"{source.path.stem}.json").read_bytes())
    return digest.hexdigest()


def build(out_dir: Path | None = None, sources_dir: Path | None = None) -> list[DocumentResult]:
    """Run the pipeline over every source and write the outputs atomically."""
    out_dir = out_dir or paths.built_corpus_dir()
    sources = load_sources(sources_dir)
    results = [process(s) for s in sources]
    out_dir.mkdir(parents=True, exist_ok=True)
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
    return results
