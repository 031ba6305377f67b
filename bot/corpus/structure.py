"""Recover document structure from cleaned lines.

Turns :class:`~bot.corpus.clean.Line` units into :class:`Block` objects
(headings, paragraphs, list items, tables, footnotes), each with the section
path it belongs to.  Two layouts are understood:

* a generic report: headings are short Title-Case or ALL-CAPS lines; a
  heading directly followed by another heading is a major (level 1) one;
* an action-plan evaluation (enabled by ``cleaning.measures`` in the source
  metadata): PRIORITY n / MEASURE n headings, the printed implementation
  status under each measure, and its two parts (the State's actions and the
  evaluator's comments), which the layout separates either by a label or by
  a wide vertical gap when the label is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..textnorm import fold, word_count
from .clean import Line, most_common_casing

BULLET = re.compile(r"^(?:[•·▪◦‣√\-–]\s+|\d{1,2}[.)]\s+|[a-h][.)]\s+)")
TERMINAL = tuple(".!?;:»\"'”)")
MEASURE = re.compile(r"^M\W?E\W?A?\W?S\W?U\W?R\W?E\s*(\d{1,2})\b\s*[:.\-–]?\s*(.*)$", re.I)
PRIORITY = re.compile(r"^PRIORITY\s+([0-9IVX]+)\s*[.:]?\s*(.*)$", re.I)
PART_GAP = 3  # blank lines that separate the two parts of a measure
FIGURE_RUN = 4  # this many very short lines in a row are a figure's labels
STOPWORDS = {"a", "an", "and", "or", "of", "the", "in", "on", "for", "to", "by", "at", "with", "from", "as", "its"}


@dataclass
class Block:
    kind: str  # heading | para | item | table | footnote | figure
    text: str
    section: list[str] = field(default_factory=list)
    level: int = 0
    measure: int | None = None
    part: str | None = None  # actions | comments (action-plan evaluations)
    footnote: int | None = None
    gap: int = 0  # blank lines before the block in the source layout
    outside: str | None = None  # country when the block lists services outside France
    start: int = 0
    end: int = 0


@dataclass
class Measure:
    number: int
    title: str
    status_printed: str | None
    status: str | None
    priority: str | None


def _terminated(text: str) -> bool:
    return text.rstrip().endswith(TERMINAL)


def _is_table_row(text: str) -> bool:
    return len([c for c in text.split("\t") if c.strip()]) >= 2


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def is_heading_candidate(text: str) -> bool:
    """A short Title-Case or ALL-CAPS line that is not a sentence or a list item."""
    text = text.strip()
    words = text.split()
    all_caps = _caps(text)
    if not words or len(words) > (25 if all_caps else 20) or "\t" in text:
        return False
    if not text[0].isalpha() or not text[0].isupper() or BULLET.match(text):
        return False
    if text.endswith((",", ";", "*")) or (text.endswith(".") and not all_caps):
        return False
    if words[-1].lower() in STOPWORDS:  # a fragment cut by a column break
        return False
    if re.search(r"\d{3,}", text) and not all_caps:
        return False
    if all_caps:
        return sum(c.isalpha() for c in text) >= 3
    content = [w for w in words if w.lower().strip("()") not in STOPWORDS and len(w) >= 4]
    if not content:
        return False
    capitalised = sum(w.lstrip("(")[:1].isupper() for w in content)
    return capitalised / len(content) >= 0.6


def _positional_headings(blocks: list[Block], heads: list[bool]) -> list[bool]:
    """A short unterminated line between a heading and a body is a heading too.

    "Institution(s) in charge of identifying VOTs or traffickers on the
    field" is not Title Case, but sits between "Institutional Framework" and
    the paragraph it introduces.
    """
    out = list(heads)
    for i in range(1, len(blocks) - 1):
        b, nxt = blocks[i], blocks[i + 1]
        if out[i] or b.kind != "para" or not heads[i - 1]:
            continue
        short = word_count(b.text) <= 14 and not _terminated(b.text) and b.text[:1].isupper()
        body_next = nxt.kind == "item" or (nxt.kind == "para" and word_count(nxt.text) >= 12)
        if short and body_next:
            out[i] = True
    return out


def nice_title(text: str, casing: dict[str, str]) -> str:
    """Readable title from an ALL-CAPS heading, keeping acronyms as spelled."""
    if not _caps(text):
        return text.strip().rstrip(".:")

    def word(match: re.Match[str]) -> str:
        w = match.group(0)
        return casing.get(w.lower(), w.lower())

    titled = re.sub(r"[\w.'’-]*\w", word, text.strip().rstrip(".:"))
    return titled[:1].upper() + titled[1:]


def _merge_continuations(lines: list[Line], protected: re.Pattern[str] | None = None) -> list[Line]:
    """Re-join paragraphs split by page or column breaks.

    A line that starts in lower case continues the latest unterminated
    paragraph among the few before it, or failing that the latest
    unterminated footnote (a note interrupted by a page break continues
    after the next page's text); a word hyphenated across the break is
    re-joined.  Headings, labels and ``protected`` lines (a measure's status)
    never absorb text, and a line after a finished list item stays apart (a
    list item whose bullet the extraction lost).
    """

    def open_target(prev: Line, footnotes: bool) -> bool:
        return (
            (prev.footnote is not None) == footnotes
            and not _terminated(prev.text)
            and not _is_table_row(prev.text)
            and not is_heading_candidate(prev.text)
            and not (protected and protected.match(prev.text))
        )

    out: list[Line] = []
    for line in lines:
        text = line.text
        starts_lower = text[:1].islower() and not BULLET.match(text)
        if out and starts_lower and line.footnote is None:
            window = list(reversed(out[-8:]))
            target = next((p for p in window if open_target(p, False)), None)
            target = target or next((p for p in window if open_target(p, True)), None)
            last = out[-1]
            if target is None and not BULLET.match(last.text) and open_target(
                Line(text=last.text.rstrip(".") + " x", gap=0), False
            ):
                target = last
            if target is not None:
                if re.search(r"[a-z]-$", target.text):
                    target.text = target.text[:-1] + text
                else:
                    target.text = f"{target.text} {text}"
                continue
        out.append(Line(text=text, gap=line.gap, footnote=line.footnote))
    return out


def _classify(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if line.footnote is not None:
            blocks.append(Block("footnote", text, footnote=line.footnote, gap=line.gap))
        elif _is_table_row(text):
            rows = [text]
            while i + 1 < len(lines) and _is_table_row(lines[i + 1].text):
                i += 1
                rows.append(lines[i].text)
            if i + 1 < len(lines) and lines[i + 1].text.lower().startswith("source"):
                i += 1
                rows.append(lines[i].text)
            caption = blocks[-1] if blocks and blocks[-1].kind in ("para", "heading") else None
            table = "\n".join(" | ".join(c.strip() for c in r.split("\t") if c.strip()) for r in rows)
            if caption and word_count(caption.text) <= 15 and not _terminated(caption.text):
                blocks.pop()
                table = f"{caption.text}\n{table}"
            blocks.append(Block("table", table, gap=line.gap))
        elif BULLET.match(text):
            blocks.append(Block("item", text, gap=line.gap))
        else:
            blocks.append(Block("para", text, gap=line.gap))
        i += 1
    return _figures(blocks)


def _figures(blocks: list[Block]) -> list[Block]:
    """Collapse runs of one-to-five-word lines (a diagram's labels) into one block."""
    out: list[Block] = []
    run: list[Block] = []

    def flush() -> None:
        if len(run) >= FIGURE_RUN:
            out.append(Block("figure", "; ".join(b.text for b in run), gap=run[0].gap))
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if block.kind == "para" and word_count(block.text) <= 5 and not _terminated(block.text):
            run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


def _front_or_title(text: str, title: str) -> bool:
    return fuzz.partial_ratio(fold(text), fold(title)) >= 90 and word_count(text) >= 4


def structure_generic(lines: list[Line], title: str, front: str, casing: dict[str, str]) -> list[Block]:
    """Section paths for a report whose headings are Title-Case or ALL-CAPS lines."""
    blocks = _classify(_merge_continuations(lines))
    heads = _positional_headings(blocks, [b.kind == "para" and is_heading_candidate(b.text) for b in blocks])
    path: list[str] = [front]
    for i, block in enumerate(blocks):
        if heads[i]:
            block.kind = "heading"
            name = nice_title(block.text, casing)
            if _front_or_title(block.text, title):
                path = [front]
                block.level = 0
            elif i + 1 < len(blocks) and heads[i + 1]:
                path = [name]
                block.level = 1
            else:
                path = [path[0], name] if path and path[0] != front else [name]
                block.level = 2
        block.section = list(path)
    return blocks


def structure_measures(
    lines: list[Line], title: str, front: str, casing: dict[str, str], spec: dict
) -> tuple[list[Block], list[Measure]]:
    """Section paths for an action-plan evaluation (priorities, measures, parts)."""
    statuses: dict[str, str] = spec.get("status_labels", {})
    actions_label = fold(spec.get("actions_label", "ACTIONS OF THE STATE"))
    comments_label = fold(spec.get("comments_label", "COMMENTS AND RECOMMENDATIONS"))
    protected = re.compile(
        "|".join([MEASURE.pattern, PRIORITY.pattern, *(rf"^{re.escape(k)}$" for k in statuses)]), re.I
    )
    blocks = _classify(_merge_continuations(lines, protected))
    measures: list[Measure] = []
    top: list[str] = [front]  # part-level path (front matter or a Part heading)
    priority: str | None = None
    measure: Measure | None = None
    part: str | None = None
    seen_content = False
    i = 0
    out: list[Block] = []
    while i < len(blocks):
        block = blocks[i]
        text = block.text
        m_measure = MEASURE.match(text) if block.kind == "para" else None
        m_priority = PRIORITY.match(text) if block.kind == "para" else None
        if m_priority:
            name = m_priority.group(2).strip()
            if not name and i + 1 < len(blocks) and blocks[i + 1].kind == "para":
                i += 1
                name = blocks[i].text
            label = f"Priority {m_priority.group(1)} — {nice_title(name, casing)}"
            priority = label
            measure, part = None, None
            block.kind, block.text, block.level = "heading", label, 1
            block.section = [*top, label] if top != [front] else [label]
            out.append(block)
            i += 1
            continue
        if m_measure:
            number = int(m_measure.group(1))
            name = m_measure.group(2).strip()
            if not name and i + 1 < len(blocks) and blocks[i + 1].kind == "para":
                i += 1
                name = blocks[i].text
            status_printed = None
            if i + 1 < len(blocks) and blocks[i + 1].text.strip() in statuses:
                i += 1
                status_printed = blocks[i].text.strip()
            measure = Measure(
                number=number,
                title=nice_title(name, casing),
                status_printed=status_printed,
                status=statuses.get(status_printed) if status_printed else None,
                priority=priority,
            )
            measures.append(measure)
            part, seen_content = None, False
            label = f"Measure {number} — {measure.title}"
            block.kind, block.text, block.level = "heading", label, 2
            block.measure = number
            block.section = [p for p in (priority, label) if p]
            out.append(block)
            i += 1
            continue
        folded = fold(text)
        if measure and block.kind == "para" and folded in (actions_label, comments_label):
            part = "actions" if folded == actions_label else "comments"
            seen_content = False
            i += 1  # the label itself is layout, recorded in the section path
            continue
        if block.kind == "para" and is_heading_candidate(text):
            caps = _caps(text)
            if _front_or_title(text, title):
                top, priority, measure, part = [front], None, None, None
                i += 1
                continue
            if caps and word_count(text) >= 3:
                top, priority, measure, part = [nice_title(text, casing)], None, None, None
                block.kind, block.level = "heading", 0
                block.text = nice_title(text, casing)
                block.section = list(top)
                out.append(block)
                i += 1
                continue
            block.kind, block.level = "heading", 4
        if measure is not None:
            if block.kind != "footnote":
                if part is None:
                    part = "actions"
                elif seen_content and block.gap >= PART_GAP and part == "actions":
                    part = "comments"
                seen_content = True
            block.measure = measure.number
            block.part = part
            base = [p for p in (priority, f"Measure {measure.number} — {measure.title}") if p]
            block.section = [*base, _part_name(part)] if part else base
        elif priority:
            block.section = [*top, priority] if top != [front] else [priority]
        else:
            block.section = list(top)
        if block.kind == "heading":
            block.section = [*block.section, block.text]
        out.append(block)
        i += 1
    _single_part_measures(out)
    return out, measures


def _part_name(part: str) -> str:
    return {"actions": "Actions of the State", "comments": "Comments and recommendations of the CNCDH"}[part]


def _single_part_measures(blocks: list[Block]) -> None:
    """A measure printed as one unlabelled block is the evaluator's comment
    when it speaks of the evaluator ("The information collected by the CNCDH
    does not make it possible to evaluate ...")."""
    by_measure: dict[int, list[Block]] = {}
    for b in blocks:
        if b.measure is not None and b.kind not in ("heading", "footnote"):
            by_measure.setdefault(b.measure, []).append(b)
    for group in by_measure.values():
        if all(b.part == "actions" for b in group) and len(group) == 1 and "CNCDH" in group[0].text:
            group[0].part = "comments"
            group[0].section = [*group[0].section[:-1], _part_name("comments")]


def subheading_sections(blocks: list[Block]) -> None:
    """Give sub-headings (level 4) their own section path entry for what follows."""
    current: str | None = None
    current_base: list[str] | None = None
    for block in blocks:
        if block.kind == "heading" and block.level == 4:
            current, current_base = block.text, block.section[:-1]
            continue
        if block.kind == "heading" or block.section[: len(current_base or [])] != (current_base or []):
            current, current_base = None, None
        if current and current_base == block.section:
            block.section = [*block.section, current]


def mark_outside_france(blocks: list[Block], spec: dict | None) -> list[str]:
    """Flag the service lists that name organisations outside France.

    The metadata names the affected list headings (see the seeds README);
    as a guard for new editions, any other list whose items mostly name one
    of the given places is flagged too.  A flagged list is flagged as a
    whole: it mixes located entries with unlocated ones ("IOM", "KEEGO
    Association") that belong to the same foreign list.
    """
    if not spec:
        return []
    places = [fold(p) for p in spec.get("places", [])]
    listed = {fold(s) for s in spec.get("sections", [])}
    flagged: list[str] = []
    sections: dict[tuple[str, ...], list[Block]] = {}
    for b in blocks:
        sections.setdefault(tuple(b.section), []).append(b)
    for key, group in sections.items():
        items = [b for b in group if b.kind == "item"]
        located = [b for b in items if any(re.search(rf"\b{re.escape(p)}\b", fold(b.text)) for p in places)]
        if (key and fold(key[-1]) in listed) or (items and len(located) * 2 > len(items)):
            for b in group:
                b.outside = spec["country"]
            flagged.append(" › ".join(key))
    return flagged


def casing_from(raw_text: str) -> dict[str, str]:
    """Casing learnt from the raw text, table of contents included: its
    sentence-case entries spell what the body prints in capitals."""
    return most_common_casing(raw_text.splitlines())
