"""Tests for the per-process cache of traced graphs (sklstm._model.graph_cache)."""

import pickle

import numpy as np
import pytest

from sklstm import LSTMSeqRegressor
from sklstm._model.graph_cache import GraphCache
from sklstm._training.engine import trace_count

RNG = np.random.default_rng(0)
X, Y = RNG.normal(size=(24, 4, 2)), RNG.normal(size=(24, 3))
# units=3 and dropout appear nowhere else in the tests: a configuration of its own.
A = dict(architecture="stacked", units=3, dropout=0.1, epochs=3, random_state=11)
B = dict(architecture="bidirectional", units=5, epochs=2, random_state=12)


def test_five_fits_of_one_configuration_trace_the_loop_once():
    before = trace_count()
    for seed in range(5):
        LSTMSeqRegressor(**{**A, "units": 6, "random_state": seed}).fit(X, Y)
    assert trace_count() - before == 1


def test_fit_a_b_a_equals_a_alone():
    # A fresh process against a cached trace: see tests/test_integration.py.
    first = LSTMSeqRegressor(**A).fit(X, Y).predict(X)
    LSTMSeqRegressor(**B).fit(X, Y).predict(X)
    again = LSTMSeqRegressor(**A).fit(X, Y).predict(X)
    np.testing.assert_array_equal(first, again)


def test_each_estimator_owns_its_weights():
    a = LSTMSeqRegressor(**A).fit(X, Y)
    expected = a.predict(X)
    weights = [w.copy() for w in a.model_.get_weights()]
    b = LSTMSeqRegressor(**{**A, "random_state": 5}).fit(X, Y)
    a2 = pickle.loads(pickle.dumps(a))
    b.fit(X[::-1], Y[::-1])  # refitting b changes neither a nor its pickle
    np.testing.assert_array_equal(a.predict(X), expected)
    np.testing.assert_array_equal(a2.predict(X), expected)
    for w, w0 in zip(a.model_.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(w, w0)
    assert not np.array_equal(b.predict(X), expected)


def test_parallel_threaded_fits_equal_sequential_ones(
    assert_threaded_fits_equal_sequential,
):
    params = [{**A, "random_state": s} for s in range(3)] + [B]
    assert_threaded_fits_equal_sequential(params, X, Y)


@pytest.mark.parametrize("maxsize", [1, 3])
def test_graph_cache_pools_entries_and_drops_the_least_recently_used(maxsize):
    cache, made = GraphCache(maxsize), []

    def make(name):
        made.append(name)
        return name

    first = cache.take("a", lambda: make("a1"))
    second = cache.take("a", lambda: make("a2"))  # "a1" is in use: a new one
    assert (first, second) == ("a1", "a2")
    cache.give("a", first)
    cache.give("b", make("b1"))
    cache.give("a", second)
    assert len(cache) == maxsize
    assert cache.take("a", lambda: make("a3")) == "a2"  # most recent is kept
    assert cache.get("c", lambda: make("c1")) is cache.get("c", lambda: make("c2"))
    assert "c2" not in made
    cache.clear()
    assert len(cache) == 0


def test_keras_engine_fits_of_one_configuration_share_one_template():
    from sklstm._model.graph_cache import TEMPLATES

    TEMPLATES.clear()
    params = dict(architecture="simple", units=7, epochs=2, engine="keras")
    for seed in range(3):
        est = LSTMSeqRegressor(**params, random_state=seed).fit(X, Y)
    assert len(TEMPLATES) == 1
    np.testing.assert_array_equal(
        est.predict(X), LSTMSeqRegressor(**params, random_state=2).fit(X, Y).predict(X)
    )
