"""Fuzzy matching of names, acronyms and article numbers (rapidfuzz).

People type "Acse" for "Ac.Sé", "OCTREH" for "OCRTEH", "CESDA" for
"CESEDA".  Question words that are not in the lexical vocabulary are matched
against the corpus's language-independent terms and replaced by the closest
one, so BM25 can find them.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from ..textnorm import strip_accents
from .lexical import special_tokens

MIN_LENGTH = 3
CUTOFF = 80.0


class FuzzyTerms:
    def __init__(self, texts: list[str]) -> None:
        terms = {t for text in texts for t in special_tokens(text) if len(t) >= MIN_LENGTH and not t.isdigit()}
        self._terms = sorted(terms)

    def expand(self, question: str) -> list[str]:
        """Corpus terms (acronyms, names, article numbers) the question means, typos forgiven."""
        out: list[str] = []
        for word in re.findall(r"[\w.\-]+", question):
            key = strip_accents(word.replace(".", "").lower())
            if len(key) < MIN_LENGTH or key.isdigit():
                continue
            match = process.extractOne(key, self._terms, scorer=fuzz.ratio, score_cutoff=CUTOFF)
            if match:
                out.append(match[0])
        return out
