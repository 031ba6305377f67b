"""Render the cleaned document and cut it into cited, paragraph-size passages.

Every passage is a span ``[start, end)`` of the cleaned document, so a
citation can always point back into the text; its id is derived from its
folded text, so it survives a rebuild when the text is unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from rapidfuzz import fuzz

from ..sentences import paragraph_sentences
from ..textnorm import fold, word_count
from .structure import Block

MIN_WORDS = 40
MAX_WORDS = 200
DUPLICATE_SIMILARITY = 92.0


@dataclass
class Passage:
    id: str
    doc: str
    section: list[str]
    start: int
    end: int
    text: str
    words: int
    kind: str  # text | list | table | notes
    measure: int | None = None
    part: str | None = None
    outside_france: str | None = None
    practice_of: str | None = None  # the passage describes this other country's practice, for comparison
    duplicate_of: str | None = None
    footnotes: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def passage_id(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha1(fold(text).encode()).hexdigest()[:8]}"


def _notes_key(block: Block) -> tuple:
    return ("measure", block.measure) if block.measure is not None else ("section", tuple(block.section[:1]))


def move_footnotes(blocks: list[Block]) -> list[Block]:
    """Put footnote bodies at the end of the measure or section that cites them.

    In the PDF they sit at the foot of a page, often in the middle of a
    sentence's paragraph; grouped under "Notes" they become readable,
    citable passages of their own.
    """
    out: list[Block] = []
    pending: list[Block] = []
    key = None
    for block in blocks:
        if block.kind == "footnote":
            pending.append(block)
            continue
        if pending and _notes_key(block) != key:
            out.extend(_as_notes(pending, out))
            pending = []
        key = _notes_key(block)
        out.append(block)
    if pending:
        out.extend(_as_notes(pending, out))
    return out


def _as_notes(notes: list[Block], before: list[Block]) -> list[Block]:
    host = next((b for b in reversed(before) if b.kind != "heading"), before[-1] if before else None)
    base = list(host.section) if host else []
    if host is not None and host.part:  # notes belong to the measure, not one of its parts
        base = base[:-1]
    for note in notes:
        note.section = [*base, "Notes"]
        note.measure = host.measure if host else None
        note.part = None
    return notes


def render(blocks: list[Block]) -> str:
    """The cleaned document: blocks in order, with offsets recorded on each."""
    parts: list[str] = []
    pos = 0
    previous: Block | None = None
    for block in blocks:
        text = f"[{block.footnote}] {block.text}" if block.kind == "footnote" else block.text
        if previous is not None:
            tight = previous.kind == block.kind and block.kind in ("item", "footnote")
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            pos += len(sep)
        block.start, block.end = pos, pos + len(text)
        parts.append(text)
        pos += len(text)
        previous = block
    return "".join(parts) + "\n"


def _split_long(block: Block) -> list[tuple[int, int]]:
    """Split a paragraph above MAX_WORDS at sentence ends into even chunks."""
    sentences = paragraph_sentences(block.text)
    total = word_count(block.text)
    pieces = -(-total // MAX_WORDS)
    target = total / pieces
    chunks: list[tuple[int, int]] = []
    start, words = sentences[0][0], 0
    prev_end = sentences[0][1]
    for s, e in sentences:
        n = word_count(block.text[s:e])
        if words and words + n > target * 1.15 and len(chunks) < pieces - 1:
            chunks.append((start, prev_end))
            start, words = s, 0
        words += n
        prev_end = e
    chunks.append((start, sentences[-1][1]))
    return [(block.start + s, block.start + e) for s, e in chunks]


def _duplicates(blocks: list[Block]) -> dict[int, int]:
    """Blocks that repeat an earlier block (the extraction printed them twice)."""
    seen: list[tuple[int, str]] = []
    dup: dict[int, int] = {}
    for i, block in enumerate(blocks):
        if block.kind not in ("para", "item") or word_count(block.text) < 12:
            continue
        folded = fold(block.text)
        for j, other in seen:
            if abs(len(other) - len(folded)) < 0.1 * len(folded) and fuzz.ratio(folded, other) >= DUPLICATE_SIMILARITY:
                dup[i] = j
                break
        else:
            seen.append((i, folded))
    return dup


def cut_passages(doc_id: str, prefix: str, text: str, blocks: list[Block]) -> list[Passage]:
    """Group consecutive blocks of one section into 40-200-word passages."""
    dup = _duplicates(blocks)
    groups: list[list[int]] = []
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if not (nxt and nxt.section == block.section and nxt.kind != "heading"):
                continue  # a heading with no body of its own lives in the section path
        key = (tuple(block.section), block.outside, i in dup)
        if groups and _key(blocks, dup, groups[-1][-1]) == key:
            groups[-1].append(i)
        else:
            groups.append([i])

    spans: list[tuple[list[int], int, int]] = []
    for group in groups:
        spans.extend(_pack(blocks, group))
    spans = _merge_short(blocks, spans)

    passages: list[Passage] = []
    by_block: dict[int, str] = {}
    used: set[str] = set()
    for members, start, end in spans:
        body = text[start:end]
        first = blocks[members[0]]
        pid = passage_id(prefix, body)
        while pid in used:  # identical text twice in one document
            pid = passage_id(prefix, f"{body}#{len(used)}")
        used.add(pid)
        kinds = {blocks[m].kind for m in members}
        original = dup.get(members[0])
        passages.append(Passage(
            id=pid,
            doc=doc_id,
            section=list(first.section),
            start=start,
            end=end,
            text=body,
            words=word_count(body),
            kind="notes" if kinds == {"footnote"} else "table" if "table" in kinds else "list" if "item" in kinds else "text",
            measure=first.measure,
            part=first.part,
            outside_france=first.outside,
            duplicate_of=by_block.get(original) if original is not None and all(m in dup for m in members) else None,
            footnotes=[blocks[m].footnote for m in members if blocks[m].footnote is not None],
        ))
        for m in members:
            by_block.setdefault(m, pid)
    return passages


def _key(blocks: list[Block], dup: dict[int, int], i: int) -> tuple:
    return (tuple(blocks[i].section), blocks[i].outside, i in dup)


def _pack(blocks: list[Block], group: list[int]) -> list[tuple[list[int], int, int]]:
    """Greedy packing of a section's blocks into spans of at most MAX_WORDS."""
    out: list[tuple[list[int], int, int]] = []
    current: list[int] = []
    words = 0

    def flush() -> None:
        nonlocal current, words
        if current:
            out.append((current, blocks[current[0]].start, blocks[current[-1]].end))
        current, words = [], 0

    for i in group:
        block = blocks[i]
        n = word_count(block.text)
        if n > MAX_WORDS and block.kind in ("para", "footnote", "item"):
            flush()
            out.extend(([i], s, e) for s, e in _split_long(block))
            continue
        if current and words + n > MAX_WORDS:
            flush()
        current.append(i)
        words += n
    flush()
    return out


def _merge_short(blocks: list[Block], spans: list[tuple[list[int], int, int]]) -> list[tuple[list[int], int, int]]:
    """Fold a passage under MIN_WORDS into its neighbour in the same section."""
    out: list[tuple[list[int], int, int]] = []
    for members, start, end in spans:
        if out:
            prev_members, prev_start, prev_end = out[-1]
            same = _key_of(blocks, prev_members[-1]) == _key_of(blocks, members[0])
            small = word_count_span(blocks, members) < MIN_WORDS or word_count_span(blocks, prev_members) < MIN_WORDS
            fits = word_count_span(blocks, prev_members) + word_count_span(blocks, members) <= MAX_WORDS * 1.2
            if same and small and fits and prev_members[-1] != members[0]:
                out[-1] = (prev_members + members, prev_start, end)
                continue
        out.append((members, start, end))
    return out


def _key_of(blocks: list[Block], i: int) -> tuple:
    return (tuple(blocks[i].section), blocks[i].outside)


def word_count_span(blocks: list[Block], members: list[int]) -> int:
    return sum(word_count(blocks[m].text) for m in members)
