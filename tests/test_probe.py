"""The probe from a question's vector to its passage: leaving questions out is exact, and the engine's copy cannot."""

from __future__ import annotations

import numpy as np
import pytest

from bot.retrieval.probe import FittedProbe, Probe


@pytest.fixture(scope="module")
def bank(engine):  # type: ignore[no-untyped-def]
    """Every 17th unit of the real bank (in-scope questions and negatives), and the corpus size."""
    index = engine.search.index
    units = np.arange(0, index.bank.ntotal, 17)
    return index.bank.reconstruct_batch(units), index.bank_rows[units].copy(), len(engine.corpus.passages)


def test_leaving_questions_out_scores_as_a_probe_fitted_without_them(bank) -> None:  # type: ignore[no-untyped-def]
    vectors, rows, size = bank
    in_scope = np.nonzero(rows >= 0)[0]
    negative = np.nonzero(rows < 0)[0]
    assert len(in_scope) > 20 and len(negative), "the slice must hold both kinds"
    left_out = np.concatenate([in_scope[3:9], negative[:2]])  # negatives in the list are not fitted on anyway
    keep = np.setdiff1d(np.arange(len(rows)), left_out)
    question = vectors[in_scope[3]]
    probe = FittedProbe(vectors, rows, size)
    by_update = probe.scores(question, left_out)
    refitted = FittedProbe(vectors[keep], rows[keep], size, probe.features).scores(question)
    assert np.allclose(by_update, refitted, atol=1e-4)
    assert not np.allclose(by_update, probe.scores(question), atol=1e-3)


def test_the_probe_maps_a_bank_question_to_its_passage(bank) -> None:  # type: ignore[no-untyped-def]
    vectors, rows, size = bank
    probe = FittedProbe(vectors, rows, size)
    in_scope = np.nonzero(rows >= 0)[0]
    first = np.argmax(probe.featurise(vectors[in_scope]) @ probe.weights, axis=1)
    assert (first == rows[in_scope]).mean() > 0.9  # fitted on them: a probe that learned nothing would score ~1/size


def test_the_engine_probe_refuses_to_leave_questions_out(engine) -> None:  # type: ignore[no-untyped-def]
    probe = engine.search.index.probe
    assert type(probe) is Probe
    vector = engine.search.index.bank.reconstruct(0)
    assert probe.scores(vector).shape == (len(engine.corpus.passages),)
    with pytest.raises(ValueError, match="fitted"):
        probe.scores(vector, np.array([0]))
