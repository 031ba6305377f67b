"""Do highlights hold the answer?  Measured on the bank's questions that ask for a number.

    python benchmarks/highlights.py [--out benchmarks/results/highlights.json]

Each bank question labelled with the kind of number it asks for (a phone
line, a duration, an amount, an article, a count, a date) is asked as a real
question would be: with itself and its near-duplicates left out of the bank.
When the top passage is its passage, is a number of that kind in the
quote as a reply shows it: the highlighted sentences cut to the excerpt's
length, one sentence under a rights card?  (Over all of them, and per kind.)
Until 2026-12-07 the whole highlighted window was measured, which a reply
cuts: 91.3% then, 73.8% of the same quotes as shown.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from reporting import arguments, publish  # benchmarks/, the script's own directory: importing it puts the repository on sys.path
from bot.bank import load_bank
from bot.engine import Engine
from bot.fit import NEAR_DUPLICATE
from bot.highlight import CARD_EXCERPT_CHARS, EXCERPT_CHARS, excerpt, holds
from bot.i18n.detect import detect
from bot.index.build import bank_table
from bot.retrieval.probe import FittedProbe
from bot.sentences import asking_sentence


def main() -> int:
    parser = arguments(__doc__)
    args = parser.parse_args()
    engine = Engine.load()
    index, search = engine.search.index, engine.search
    # the probe as the fit has it, so that a question's own bank entry can be left out of it too (the engine's
    # probe refuses to: it serves questions, it is not being fitted)
    index.probe = FittedProbe(index.bank.reconstruct_n(0, index.bank.ntotal), index.bank_rows, len(engine.corpus.passages))
    texts = bank_table(engine.corpus, load_bank(engine.corpus.passages))["texts"]
    units = [u for u in range(index.bank.ntotal) if index.bank_asks[u] and index.bank_rows[u] >= 0]
    vectors = index.bank.reconstruct_batch(np.array(units))
    lims, _, neighbours = index.bank.range_search(vectors, NEAR_DUPLICATE)
    asked, right, held = Counter(), Counter(), Counter()
    for i, unit in enumerate(units):
        kind, gold, text = index.bank_asks[unit], int(index.bank_rows[unit]), texts[unit]
        situation = engine.signals.read(text)
        query = search.query(text, vectors[i], detect(text).lang or index.bank_langs[unit], situation, asking_sentence(text))
        evidence = search.evidence(query, {int(j) for j in neighbours[lims[i]: lims[i + 1]]} | {unit})
        ranking = search.rank(evidence)
        asked[kind] += 1
        if not len(ranking.rows) or int(ranking.rows[0]) != gold:
            continue
        right[kind] += 1
        at = int(ranking.at[0])
        passage = engine.corpus.passages[gold]["text"]
        card = engine.card_for(engine.corpus.passages[gold]["id"], query.vector, query.lang, situation.minor or situation.maybe_child)  # under a card the quote leans to it
        start, end = engine.highlighter.span(gold, passage, vectors[i], int(evidence.best_question[at]), int(evidence.best_unit[at]),
                                             engine.card_vector(card), card.text if card else None)
        held[kind] += holds(kind, excerpt(passage, (start, end), CARD_EXCERPT_CHARS if card else EXCERPT_CHARS))
    report = {
        "number_questions": sum(asked.values()),
        "top_passage_right": sum(right.values()),
        "highlight_holds_a_number_of_the_kind": round(sum(held.values()) / max(sum(right.values()), 1), 3),
        "per_kind": {k: {"asked": asked[k], "top_right": right[k], "held": round(held[k] / max(right[k], 1), 3)} for k in sorted(asked)},
    }
    publish(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
