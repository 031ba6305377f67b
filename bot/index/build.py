"""`bot index build`: the built corpus and the question bank -> index/ (see :mod:`bot.index.layout`).

Vectors:

* per passage: the whole passage, each window of two sentences, and the
  title of its section -- the windows let a passage that answers in one
  sentence among many still rank first, and tell which sentences to
  highlight; the title works as the title field of classic search engines;
* per bank question: the question itself, encoded as a query (a person's
  question is compared with other people's questions).

BM25 per language over the passages (English sources, current translations)
and over the bank's questions.  Then the fusion and abstention models are
fitted on the bank (:mod:`bot.fit`) and the manifest records the hash of
every file.

The build is atomic: everything is written to a staging directory that
replaces ``index/`` only when complete.  Vectors are reused from the
previous index, and from what a killed build had already encoded
(:mod:`bot.index.cache`), so a rebuild after a one-passage change encodes
just that passage.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from tqdm import tqdm

from .. import __version__, paths
from ..atomic import recover_directory, replace_directory
from ..bank import Bank, bank_hash, load_bank
from ..corpus.load import Corpus, load_corpus
from ..cards import Cards, check_card_labels, load_cards
from ..danger import load_examples, telling_texts
from ..i18n.catalogs import CORPUS_DOMAIN, UI_DOMAIN, load_po, translations
from ..i18n.languages import LANGUAGES, SOURCE_LANGUAGE
from ..retrieval.scope import named
from ..retrieval.search import query_vector
from ..sentences import asking_sentence, windows
from ..typed import distinct, typed_copy
from .cache import EmbeddingCache
from .encoders import DEFAULT_ENCODER, Encoder, load_encoder
from .layout import (
    ASKING_UNITS, ASKING_VECTORS, BANK_LEXICAL, BANK_UNITS, BANK_VECTORS, CARD_UNITS, CARD_VECTORS, DANGER_UNITS, DANGER_VECTORS, FORMAT, LEXICAL, MANIFEST,
    NEGATIVE, PASSAGE, PASSAGE_UNITS, PASSAGE_VECTORS, QUESTION, TITLE, TRANSLATION_UNITS, TRANSLATION_VECTORS, TYPED_SAME_UNITS,
    TYPED_SAME_VECTORS, WINDOW,
)
from .lexical import LexicalIndex
from .store import catalog_hashes, file_hashes, load_index

BATCH = 8
HNSW_ABOVE = 50_000  # vectors: beyond this, an approximate graph index keeps search fast
# Section names that say where a passage sits but not what it is about.
GENERIC_SECTIONS = {"Actions of the State", "Comments and recommendations of the CNCDH", "Notes"}


@dataclass(frozen=True)
class Unit:
    """One passage vector: a whole passage, a window of it, or its section's title."""

    row: int  # passage row in the corpus
    start: int  # offsets into the passage text (windows); 0, 0 for titles
    end: int
    kind: str  # passage | window | title
    title: str = ""

    def text(self, corpus: Corpus) -> str:
        return self.title if self.kind == TITLE else corpus.passages[self.row]["text"][self.start: self.end]


def section_title(passage: dict) -> str | None:
    """The most specific section name that says what the passage is about."""
    for name in reversed(passage["section"]):
        if name not in GENERIC_SECTIONS:
            return re.sub(r"^(?:Measure|Priority) [\dIVX]+ — ", "", name)
    return None


def indexed_rows(corpus: Corpus) -> list[int]:
    """Passages that are searched: every one but the repeated blocks."""
    return [i for i, p in enumerate(corpus.passages) if not p.get("duplicate_of")]


def units_for(corpus: Corpus) -> list[Unit]:
    units: list[Unit] = []
    for row in indexed_rows(corpus):
        passage = corpus.passages[row]
        text = passage["text"]
        units.append(Unit(row, 0, len(text), PASSAGE))
        spans = windows(text)
        if len(spans) > 1:
            units.extend(Unit(row, s, e, WINDOW) for s, e in spans)
        if title := section_title(passage):
            units.append(Unit(row, 0, 0, TITLE, title))
    return units


def bank_table(corpus: Corpus, bank: Bank) -> dict[str, list]:
    """The bank's units, column-wise: in-scope questions keyed to passage rows, then negatives (row -1)."""
    rows = corpus.by_id()
    searchable = set(indexed_rows(corpus))
    questions = [q for q in bank.questions if rows.get(q.passage) in searchable]
    return {
        "texts": [q.question for q in questions] + [n.question for n in bank.negatives],
        "rows": [rows[q.passage] for q in questions] + [-1] * len(bank.negatives),
        "kinds": [QUESTION] * len(questions) + [NEGATIVE] * len(bank.negatives),
        "langs": [q.lang for q in questions] + [n.lang for n in bank.negatives],
        "audiences": [q.audience for q in questions] + [None] * len(bank.negatives),
        "asks": [q.asks for q in questions] + [None] * len(bank.negatives),
        "cards": [q.card for q in questions] + [None] * len(bank.negatives),
        "categories": [None] * len(questions) + [n.category for n in bank.negatives],
        # what a negative names that makes it one (a place abroad, a later year): no evidence against a question without it
        "names": [[]] * len(questions) + [sorted(named(n.question, corpus.latest_year) & {n.category}) for n in bank.negatives],
    }


def text_key(encoder_id: str, role: str, text: str) -> str:
    """Cache key of one encoded text (``role``: passage or query, encoded differently)."""
    return hashlib.sha1(f"{encoder_id}\n{role}\n{text}".encode()).hexdigest()


def current_translations(corpus: Corpus, lang: str) -> dict[int, str]:
    """Passage row -> translation, for translations that are current.

    A translation counts only when it is not fuzzy and its msgid is the
    passage's present text: after a new edition, `pybabel update` marks
    changed passages fuzzy, and they drop out until a translator updates them.
    """
    catalog = load_po(lang, CORPUS_DOMAIN)
    if catalog is None:
        return {}
    rows = corpus.by_id()
    out: dict[int, str] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy or message.context not in rows:
            continue
        row = rows[message.context]
        if corpus.passages[row]["text"] == message.id:
            out[row] = message.string
    return out


def encode(encoder: Encoder, role: str, texts: list[str], cache: EmbeddingCache, progress: bool) -> tuple[np.ndarray, list[str], int]:
    """Vectors for ``texts``, encoding only what the cache lacks; returns (vectors, keys, encoded)."""
    keys = [text_key(encoder.id, role, t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if k not in cache}.items())
    method = encoder.passages if role == "passage" else encoder.queries
    bar = tqdm(total=len(missing), desc=f"encoding {role}s", unit="text", disable=not progress or not missing)
    for i in range(0, len(missing), BATCH):
        batch = missing[i: i + BATCH]
        for (key, _), vector in zip(batch, method([t for _, t in batch])):
            cache.add(key, vector)
        bar.update(len(batch))
    bar.close()
    cache.flush()
    if not keys:
        return np.zeros((0, encoder.dim), dtype=np.float32), keys, 0
    return np.stack([cache[k] for k in keys]).astype(np.float32), keys, len(missing)


@dataclass(frozen=True)
class TypedCopies:
    """The typed copies of some texts (:func:`bot.typed.typed_copy`) that the encoder reads differently, and those it
    reads as their originals (kept for the next build only)."""

    at: list[int]  # positions of the texts copied
    vectors: np.ndarray
    keys: list[str]
    same_vectors: np.ndarray
    same_keys: list[str]
    encoded: int


def typed_copies(encoder: Encoder, texts: list[str], vectors: np.ndarray, cache: EmbeddingCache, progress: bool) -> TypedCopies:
    """The texts the encoder reads differently typed without their keyboard."""
    copied = [(i, copy) for i, t in enumerate(texts) if (copy := typed_copy(t))]
    copies, keys, encoded = encode(encoder, "query", [copy for _, copy in copied], cache, progress)
    keep = distinct(vectors[[i for i, _ in copied]], copies)
    same = sorted(set(range(len(copied))) - set(keep))
    return TypedCopies([copied[j][0] for j in keep], copies[keep], [keys[j] for j in keep], copies[same], [keys[j] for j in same], encoded)


def card_texts(cards: Cards) -> list[tuple[str, str, str]]:
    """(card id, language, title and text) of every current card, in English and in each language that translates it."""
    units = []
    for lang in LANGUAGES:
        tr = translations(lang, UI_DOMAIN)
        for card in cards.current.values():
            text = f"{tr.gettext(card.title)} {tr.gettext(card.text)}"
            if lang == SOURCE_LANGUAGE or text != f"{card.title} {card.text}":
                units.append((card.id, lang, text))
    return units


def vector_index(vectors: np.ndarray) -> faiss.Index:
    """Exact inner-product search on half-precision vectors; a graph index for very large corpora."""
    spec = "HNSW32,SQfp16" if len(vectors) > HNSW_ABOVE else "SQfp16"
    index = faiss.index_factory(vectors.shape[1], spec, faiss.METRIC_INNER_PRODUCT)
    index.train(vectors)
    index.add(vectors)
    return index


def build_index(
    encoder_spec: str = DEFAULT_ENCODER,
    target: Path | None = None,
    progress: bool = True,
    encoder: Encoder | None = None,
) -> dict:
    """Build the index atomically into ``target`` (default ``index/``); return its manifest."""
    from ..fit import fit

    started = time.monotonic()
    target = target or paths.index_dir()
    corpus = load_corpus()
    bank = load_bank(corpus.passages)
    rights_cards = load_cards(corpus.passages)
    check_card_labels(bank.questions, rights_cards)  # refused before minutes of encoding, not after
    encoder = encoder or load_encoder(encoder_spec)
    units = units_for(corpus)
    table = bank_table(corpus, bank)
    recover_directory(target)
    cache = EmbeddingCache(target)
    passage_vectors, passage_keys, encoded_passages = encode(encoder, "passage", [u.text(corpus) for u in units], cache, progress)
    bank_vectors, bank_keys, encoded_questions = encode(encoder, "query", table["texts"], cache, progress)
    asking = [asking_sentence(t) for t in table["texts"]]
    asking_at = [i for i, a in enumerate(asking) if a]
    asking_vectors, asking_keys, encoded_asking = encode(encoder, "query", [asking[i] for i in asking_at], cache, progress)
    bank_queries = bank_vectors.copy()
    for i, v in zip(asking_at, asking_vectors):
        bank_queries[i] = query_vector(bank_vectors[i], v)
    examples = load_examples()
    told = {q.question for q in bank.questions if q.told}
    danger_now = {q.question for q in bank.questions if q.danger_now}
    example_vectors, example_keys, encoded_examples = encode(encoder, "query", [e.text for e in examples], cache, progress)
    # the danger units: the examples, then typed copies of examples and of bank questions not telling of danger
    example_copies = typed_copies(encoder, [e.text for e in examples], example_vectors, cache, progress)
    example_at = example_copies.at
    telling = telling_texts(examples, told, danger_now)
    calm = [i for i, t in enumerate(table["texts"]) if t not in telling]
    question_copies = typed_copies(encoder, [table["texts"][i] for i in calm], bank_vectors[calm], cache, progress)
    question_at = [calm[j] for j in question_copies.at]
    danger_vectors = np.vstack([example_vectors, example_copies.vectors, question_copies.vectors])
    cards = card_texts(rights_cards)
    card_vectors, card_keys, encoded_cards = encode(encoder, "passage", [t for _, _, t in cards], cache, progress)
    rows = indexed_rows(corpus)
    lexical = {SOURCE_LANGUAGE: ([corpus.passages[r]["text"] for r in rows], rows)}
    for lang in LANGUAGES:
        if lang == SOURCE_LANGUAGE:
            continue
        translated = {r: t for r, t in current_translations(corpus, lang).items() if r in set(rows)}
        if translated:
            lexical[lang] = (list(translated.values()), list(translated))
    translation_units = [(lang, r, t) for lang, (texts, trows) in lexical.items() if lang != SOURCE_LANGUAGE for t, r in zip(texts, trows)]
    translation_vectors, translation_keys, encoded_translations = encode(
        encoder, "passage", [t for _, _, t in translation_units], cache, progress)
    with replace_directory(target) as staging:
        faiss.write_index(vector_index(passage_vectors), str(staging / PASSAGE_VECTORS))
        faiss.write_index(vector_index(bank_vectors), str(staging / BANK_VECTORS))
        faiss.write_index(vector_index(translation_vectors), str(staging / TRANSLATION_VECTORS))
        (staging / TRANSLATION_UNITS).write_text(json.dumps({
            "rows": [r for _, r, _ in translation_units], "langs": [lang for lang, _, _ in translation_units], "keys": translation_keys}))
        faiss.write_index(vector_index(asking_vectors), str(staging / ASKING_VECTORS))
        faiss.write_index(vector_index(np.vstack([example_copies.same_vectors, question_copies.same_vectors])), str(staging / TYPED_SAME_VECTORS))
        (staging / TYPED_SAME_UNITS).write_text(json.dumps({"keys": example_copies.same_keys + question_copies.same_keys}))
        faiss.write_index(vector_index(card_vectors), str(staging / CARD_VECTORS))
        (staging / CARD_UNITS).write_text(json.dumps({"ids": [i for i, _, _ in cards], "langs": [lang for _, lang, _ in cards], "keys": card_keys}))
        (staging / ASKING_UNITS).write_text(json.dumps({"keys": asking_keys}))
        faiss.write_index(vector_index(danger_vectors), str(staging / DANGER_VECTORS))
        (staging / DANGER_UNITS).write_text(json.dumps({
            "kinds": [e.kind for e in examples] + [examples[i].kind for i in example_at] + ["none"] * len(question_at),
            "langs": [e.lang for e in examples] + [examples[i].lang for i in example_at] + [table["langs"][i] for i in question_at],
            "keys": example_keys + example_copies.keys + question_copies.keys,
            "copy_of_example": [-1] * len(examples) + example_at + [-1] * len(question_at),
            "copy_of_question": [-1] * (len(examples) + len(example_at)) + question_at}))
        (staging / PASSAGE_UNITS).write_text(json.dumps({
            "rows": [u.row for u in units],
            "spans": [[u.start, u.end] for u in units],
            "kinds": [u.kind for u in units],
            "keys": passage_keys,
        }))
        bank_json = {k: v for k, v in table.items() if k != "texts"}
        (staging / BANK_UNITS).write_text(json.dumps({**bank_json, "keys": bank_keys}, ensure_ascii=False))
        for lang, (lang_texts, lang_rows) in lexical.items():
            LexicalIndex.build(lang, lang_texts, lang_rows, len(corpus.passages)).save(staging / LEXICAL / lang)
        bank_langs = sorted({lang for lang in table["langs"] if lang in LANGUAGES})
        for lang in bank_langs:
            ids = [i for i, (l, kind) in enumerate(zip(table["langs"], table["kinds"])) if l == lang]
            LexicalIndex.build(lang, [table["texts"][i] for i in ids], ids, len(table["texts"])).save(staging / BANK_LEXICAL / lang)
        manifest = {
            "format": FORMAT,
            "bot_version": __version__,
            "corpus_hash": corpus.hash,
            "encoder": encoder.id,
            "encoder_spec": encoder_spec,
            "dim": int(passage_vectors.shape[1]),
            "passages": len(corpus.passages),
            "indexed_passages": len(rows),
            "vectors": int(passage_vectors.shape[0]),
            "bank_questions": table["kinds"].count(QUESTION),
            "bank_negatives": table["kinds"].count(NEGATIVE),
            "danger_examples": len(examples),
            "typed_copies": {"examples": len(example_at), "questions": len(question_at)},
            "translation_vectors": len(translation_units),
            "encoded_now": encoded_passages + encoded_translations + encoded_questions + encoded_asking + encoded_examples
            + example_copies.encoded + question_copies.encoded + encoded_cards,
            "card_vectors": len(cards),
            "lexical_languages": {lang: len(v[1]) for lang, v in lexical.items()},
            "bank_languages": {lang: table["langs"].count(lang) for lang in bank_langs},
            "catalogs": catalog_hashes(),
            "bank_hash": bank_hash(),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        fit(load_index(corpus, encoder.id, staging, manifest=manifest, verify=False), corpus, table["texts"], bank_queries, examples, staging, told, danger_now, progress)
        manifest["files"] = file_hashes(staging)
        manifest["build_seconds"] = round(time.monotonic() - started, 1)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n")
    cache.clear()
    return manifest
