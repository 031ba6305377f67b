"""What ``index/`` holds, shared by building and loading (loading never imports building).

* ``passages.faiss`` + ``passages.json``: one vector per passage, per
  window of two sentences and per section title (the passage units);
* ``translations.faiss`` + ``translations.json``: one vector per current
  translation of a passage (a question is compared with the passage in its
  own language, not only across languages);
* ``bank.faiss`` + ``bank.json``: one vector per question of the bank, in
  scope (keyed to its passage) or negative (a question the sources do not
  answer);
* ``danger.faiss`` + ``danger.json``: one vector per reviewed danger example
  and look-alike (``corpus/danger/``), then per typed copy of those and
  of the bank's questions that the encoder reads as another text
  (:mod:`bot.typed`: Vietnamese without its tone marks);
* ``cards.faiss`` + ``cards.json``: one vector per rights card (title and
  text) per language it is translated into, to choose among the cards of one
  passage the one nearest to the question;
* ``asking.faiss`` + ``asking.json``: the asking sentences of the bank's
  stories, which the fit searches with (only the next build reads them);
* ``typed_same.faiss`` + ``typed_same.json``: the typed copies the encoder
  reads as their originals, which are no units (only the next build reads
  them, so that it encodes only new or changed texts);
* ``lexical/<lang>/``: BM25 over the passages in each language (the
  English sources, and each language's current translations);
* ``bank_lexical/<lang>/``: BM25 over the bank's questions in each language;
* ``fit.json``: the fusion and abstention models fitted on the bank;
* ``probe.npy`` + ``probe_features.npy``: the probe from a question's
  vector to its passage, fitted on the bank, and the random features it
  reads the vector through (:mod:`bot.retrieval.probe`; the features are
  drawn the same every build);
* ``manifest.json``: what the index was built from, and the hash of every
  file above, checked at load.
"""

from __future__ import annotations

FORMAT = 9  # 9: the bank questions' rights cards (bank.json "cards"); 8: the probe reads random features of the vector
MANIFEST = "manifest.json"
PASSAGE_VECTORS = "passages.faiss"
PASSAGE_UNITS = "passages.json"
TRANSLATION_VECTORS = "translations.faiss"
TRANSLATION_UNITS = "translations.json"
BANK_VECTORS = "bank.faiss"
BANK_UNITS = "bank.json"
DANGER_VECTORS = "danger.faiss"
DANGER_UNITS = "danger.json"
CARD_VECTORS = "cards.faiss"
CARD_UNITS = "cards.json"
ASKING_VECTORS = "asking.faiss"  # the asking sentences of the bank's stories: kept so a build re-encodes none
ASKING_UNITS = "asking.json"
TYPED_SAME_VECTORS = "typed_same.faiss"  # the typed copies the encoder reads as their originals: none is a unit, all are kept
TYPED_SAME_UNITS = "typed_same.json"  # so that a build re-encodes none of them
LEXICAL = "lexical"
BANK_LEXICAL = "bank_lexical"
FIT = "fit.json"
PROBE = "probe.npy"
PROBE_FEATURES = "probe_features.npy"

# Kinds of passage units, and of bank units.
PASSAGE, WINDOW, TITLE = "passage", "window", "title"
QUESTION, NEGATIVE = "question", "negative"
