"""The fitted models, as stored (walked in numpy), score as the library that fitted them does."""

from __future__ import annotations

import numpy as np

from bot.fit import _boosted, _trees


def test_stored_trees_score_as_scikit_learn_does():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2000, 4)).astype(np.float32)
    y = x[:, 0] * x[:, 1] + rng.normal(scale=0.3, size=2000) > 0
    fitted = _boosted(len(y)).fit(x, y)
    stored = _trees(fitted, ("a", "b", "c", "d"))
    assert np.allclose(stored.probability(x), fitted.predict_proba(x)[:, 1], atol=1e-5)
