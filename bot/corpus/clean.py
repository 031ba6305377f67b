"""Character- and line-level cleaning of PDF text extractions.

The input is a plain-text extraction of a PDF: one paragraph or list item per
line, blank lines between them, plus the noise of the extraction (running
headers garbled into other scripts, "|--|" rules, icon glyphs, stray accents
on English words, footnote markers glued to words).  The output is a list of
:class:`Line` units, each with the number of blank lines that preceded it
(the layout signal the structure parser relies on).

Nothing here knows about a particular document: edition-specific hints
(running headers, lines to drop, errata) come from the source's metadata.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from ..textnorm import letters_only, strip_accents

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
RULE_LINE = re.compile(r"^\s*\|[-|:\s]*\|\s*$")
# A page-number-terminated table-of-contents line ("Measure 3: ...\t19").
TOC_LINE = re.compile(r"\t\s*\d{1,3}\s*$")
FOOTNOTE_BODY = re.compile(r"^\^\{(\d{1,3})\.\}\s*(.*)$")
PLAIN_FOOTNOTE = re.compile(r"^(\d{1,3})\.\s*(\S.*)$")
HEADER_SIMILARITY = 80.0


@dataclass
class Line:
    """One non-empty line of the source, cleaned, with its layout context."""

    text: str
    gap: int  # blank lines before it
    footnote: int | None = None  # footnote number when the line is a footnote body
    notes: list[str] = field(default_factory=list)  # what cleaning did (for the report)


@dataclass
class CleanReport:
    """Counts of what the cleaner removed or repaired, for `bot corpus build`."""

    running_headers: int = 0
    rules: int = 0
    dropped_lines: int = 0
    toc_lines: int = 0
    glyphs: int = 0
    stray_accents: list[str] = field(default_factory=list)
    footnote_markers: int = 0
    footnotes: int = 0
    errata: int = 0


def apply_errata(text: str, errata: list[dict[str, str]], report: CleanReport) -> str:
    """Apply the maintainer's per-edition corrections (exact find/replace)."""
    for fix in errata:
        count = text.count(fix["find"])
        report.errata += count
        text = text.replace(fix["find"], fix["replace"])
    return text


def normalise_characters(text: str) -> str:
    """NFC, no-break spaces and soft hyphens, uniform line ends."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\u00ad", "").replace("\u200b", "")


def _is_running_header(line: str, headers: list[str]) -> bool:
    """A running header, even when the extraction garbled its letters.

    Garbled copies keep many Latin letters in order ("C١ ١CI DΗ • E١ /al lu
    at İΟ n of th ıe ..."), so the Latin letters alone are compared.  Layout
    marks (tabs, the "•" separator) make a line look like a header; a real
    sentence that happens to share most words ("evaluate ... the
    implementation of the national action plan") needs a near-exact match.
    """
    folded = letters_only(line)
    if len(folded) < 20:
        return False
    score = max((fuzz.ratio(folded, letters_only(h)) for h in headers), default=0.0)
    tabs = line.count("\t")
    if tabs >= 4 and not re.search(r"\d", line):
        return score >= 60
    if tabs or "•" in line:
        return score >= HEADER_SIMILARITY
    return score >= 95


def _is_glyph_token(token: str) -> bool:
    """An icon-font or stray-script glyph with no Latin letter or digit in it."""
    has_latin = False
    has_glyph = False
    for ch in token:
        cat = unicodedata.category(ch)
        if ch.isascii() and ch.isalnum():
            has_latin = True
        elif cat.startswith("L") or cat.startswith("M"):
            if "LATIN" in unicodedata.name(ch, ""):
                has_latin = True
            else:
                has_glyph = True
        elif cat in ("So", "Co", "Cn", "Cs"):
            has_glyph = True
    return has_glyph and not has_latin


def strip_glyphs(line: str) -> tuple[str, int]:
    tokens = line.split(" ")
    kept = [t for t in tokens if not _is_glyph_token(t)]
    return " ".join(kept), len(tokens) - len(kept)


def split_lines(text: str) -> list[tuple[str, int]]:
    """Non-empty lines with the count of blank lines before each."""
    out: list[tuple[str, int]] = []
    gap = 0
    for raw in text.split("\n"):
        if raw.strip():
            out.append((raw, gap))
            gap = 0
        else:
            gap += 1
    return out


def _drop_toc(lines: list[tuple[str, int]], report: CleanReport) -> list[tuple[str, int]]:
    """Drop a "Table of contents" heading and the page-numbered lines after it.

    The body carries the same headings, so the table of contents would only
    produce duplicate, page-number-ridden passages.  A contents entry may wrap
    over several lines, only the last of which carries the page number; the
    contents end at the first line that is neither numbered nor followed
    closely by a numbered one.
    """
    out: list[tuple[str, int]] = []
    in_toc = False
    for i, (raw, gap) in enumerate(lines):
        if raw.strip().lower().rstrip(":") == "table of contents":
            in_toc = True
            report.toc_lines += 1
            continue
        if in_toc:
            ahead = [r for r, _ in lines[i: i + 4]]
            if TOC_LINE.search(raw) or (len(raw.split()) <= 16 and any(TOC_LINE.search(r) for r in ahead)):
                report.toc_lines += 1
                continue
            in_toc = False
        out.append((raw, gap))
    return out


def _insert_headings(lines: list[tuple[str, int]], inserts: list[dict[str, str]]) -> list[tuple[str, int]]:
    """Add headings the printed edition conveys only by layout (a back cover)."""
    out: list[tuple[str, int]] = []
    for raw, gap in lines:
        for spec in inserts:
            if raw.strip().startswith(spec["before"]):
                out.append((spec["heading"], max(gap, 3)))
                gap = 1
        out.append((raw, gap))
    return out


def _word_vocabulary(lines: list[str]) -> set[str]:
    vocab: set[str] = set()
    for line in lines:
        for word in re.findall(r"[A-Za-z]+", line):
            vocab.add(word.lower())
    return vocab


FRENCH_LETTERS = set("àâäçéèêëîïôöùûüÿœæ")
FRENCH_CONTEXT = {"la", "le", "les", "de", "des", "du", "au", "aux", "et", "en", "pour", "sur", "une", "un", "non", "d", "l"}


def repair_stray_accents(line: str, vocab: set[str], report: CleanReport) -> str:
    """Remove accents the extraction put on the last letter of English words.

    "nationalitý", "compensatioń", "registered\u0301", "weré" are repaired: the
    accent sits on a word's last letter, and either that letter does not
    exist in French or the bare word occurs elsewhere in the document.  French words keep their accents: a final "é" is kept
    when a French function word stands just before it ("mariage forcé"),
    and accents anywhere but on the last letter ("répression") are never
    touched.
    """
    words = line.split(" ")
    for i, token in enumerate(words):
        m = re.match(r"^(\W*)(\w+?)(\w[\u0300-\u036f]*)(\W*)$", token)
        if not m or token.isascii():
            continue
        lead, head, last, trail = m.groups()
        bare_last = strip_accents(last)
        if not head.isascii() or len(head) < 3 or last == bare_last:
            continue
        bare = head + bare_last
        composed = unicodedata.normalize("NFC", last).lower()
        if composed in FRENCH_LETTERS and bare.lower() not in vocab:
            continue  # "ý", "ń", "t\u0301" are no French letters: always stray
        if bare_last.lower() == "e" and last.lower() in ("é", "e\u0301"):
            before = {w.lower().strip("'’(«") for w in words[max(0, i - 2): i]}
            if before & FRENCH_CONTEXT:
                continue
        report.stray_accents.append(f"{token}->{lead}{bare}{trail}")
        words[i] = f"{lead}{bare}{trail}"
    return " ".join(words)


def footnote_numbers(lines: list[str]) -> set[int]:
    return {int(m.group(1)) for line in lines if (m := FOOTNOTE_BODY.match(line.strip()))}


def strip_footnote_markers(line: str, numbers: set[int], report: CleanReport) -> str:
    """Remove footnote call markers from running text.

    Superscript digits are always markers.  Plain digits count as a marker
    only when glued to the end of a word or a closing quote/bracket *and*
    the document has a footnote with that number, so "L316-1", "Article 8"
    or "2016" are never touched.
    """
    before = line
    line = re.sub(rf"(?<=\S)[{SUPERSCRIPT_DIGITS}]+", "", line)
    if numbers:

        def plain(match: re.Match[str]) -> str:
            return "" if int(match.group(1)) in numbers else match.group(0)

        line = re.sub(r"(?<=[A-Za-z\)»\"'])(\d{1,2})(?=[\s.,;:)]|$)", plain, line)
    if line != before:
        report.footnote_markers += 1
    return line


def _mark_footnotes(lines: list[Line], numbers: set[int], report: CleanReport) -> list[Line]:
    """Recognise footnote bodies, including the plain "20. ..." form.

    Once a document uses "^{N.}" footnotes, a line "N. text" is a footnote too
    when N is the next expected number; a line holding two notes
    ("... Code 11.www...") is split.  Numbered list items ("1. IDENTIFY ...")
    are left alone because their number is not the one expected.
    """
    out: list[Line] = []
    expected = 1
    for line in lines:
        text = line.text.strip()
        m = FOOTNOTE_BODY.match(text)
        number: int | None = None
        body = text
        if m:
            number, body = int(m.group(1)), m.group(2)
        elif numbers and (p := PLAIN_FOOTNOTE.match(text)) and int(p.group(1)) == expected:
            number, body = int(p.group(1)), p.group(2)
        if number is None:
            out.append(line)
            continue
        parts = [(number, body)]
        nxt = re.search(rf"\s{number + 1}\.\s?(?=\S)", body)
        if nxt:
            parts = [(number, body[: nxt.start()].strip()), (number + 1, body[nxt.end():].strip())]
        for n, b in parts:
            out.append(Line(text=b, gap=line.gap, footnote=n))
            report.footnotes += 1
            expected = n + 1
    return out


def clean_lines(text: str, cleaning: dict, report: CleanReport) -> list[Line]:
    """Run every line-level repair and return the cleaned line units."""
    text = apply_errata(normalise_characters(text), cleaning.get("errata", []), report)
    headers = cleaning.get("running_headers", [])
    drop = {d.strip() for d in cleaning.get("drop_lines", [])}
    drop_patterns = [re.compile(p) for p in cleaning.get("drop_patterns", [])]

    raw_lines = _insert_headings(_drop_toc(split_lines(text), report), cleaning.get("insert_headings", []))
    vocab = _word_vocabulary([r for r, _ in raw_lines])
    numbers = footnote_numbers([r for r, _ in raw_lines])

    lines: list[Line] = []
    pending_gap = 0
    for raw, gap in raw_lines:
        stripped = raw.strip()
        reason = None
        if RULE_LINE.match(stripped):
            report.rules += 1
            reason = "rule"
        elif stripped in drop or any(p.search(stripped) for p in drop_patterns):
            report.dropped_lines += 1
            reason = "drop"
        elif headers and _is_running_header(stripped, headers):
            report.running_headers += 1
            reason = "header"
        if reason:
            pending_gap += gap + 1
            continue
        cleaned, glyphs = strip_glyphs(stripped)
        report.glyphs += glyphs
        cleaned = repair_stray_accents(cleaned, vocab, report)
        if not FOOTNOTE_BODY.match(cleaned):
            cleaned = strip_footnote_markers(cleaned, numbers, report)
        cleaned = re.sub(r"[ ]{2,}", " ", cleaned).strip()
        if not cleaned:
            pending_gap += gap + 1
            continue
        lines.append(Line(text=cleaned, gap=gap + pending_gap))
        pending_gap = 0
    return _mark_footnotes(lines, numbers, report)


def most_common_casing(lines: list[str]) -> dict[str, str]:
    """Map lower-cased words to their usual spelling in running text.

    Used to turn ALL-CAPS headings into readable titles while keeping
    acronyms (CNCDH, Ac.Sé) and proper nouns as the document spells them.
    """
    counts: dict[str, Counter[str]] = {}
    for line in lines:
        letters = [c for c in line if c.isalpha()]
        if not letters or sum(c.isupper() for c in letters) / len(letters) > 0.6:
            continue
        for word in re.findall(r"[\w.'’-]+", line):
            word = word.strip(".'’-")
            if word:
                counts.setdefault(word.lower(), Counter())[word] += 1
    return {low: c.most_common(1)[0][0] for low, c in counts.items()}
