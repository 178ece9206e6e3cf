"""The estimator's public surface, name by name (see sklstm/_estimator/surface.py)."""

import io

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid

import sklstm
from sklstm import LSTMSeqRegressor

FAST = dict(units=4, epochs=2, batch_size=8, random_state=0)


_HIDDEN = {
    "current_epoch",
    "feature_encoder",
    "initialized_",
    "scorer",
    "target_encoder",
}


def _exercise_routing_request(est, method):
    with sklearn.config_context(enable_metadata_routing=True):
        est = clone(est)
        assert getattr(est, f"set_{method}_request")(sample_weight=True) is est
        requests = getattr(est.get_metadata_routing(), method).requests
        assert requests == {"sample_weight": True}


def _exercise_save(est, X, y):
    buffer = io.BytesIO()
    est.save(buffer)
    loaded = sklstm.load(io.BytesIO(buffer.getvalue()))
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))


def _exercise_initialize(est, X, y):
    init = clone(est).initialize(X, y)
    assert init.history_ == {} and init.predict(X).shape == y.shape
    # The same weights a fit starts from: one epoch of partial_fit equals a
    # one-epoch fit with the same seed.
    one_epoch = clone(est).set_params(epochs=1).fit(X, y)
    np.testing.assert_array_equal(
        init.partial_fit(X, y).predict(X), one_epoch.predict(X)
    )


_EXERCISES = {
    "fit": lambda est, X, y: est.model_ is not None and est.history_["loss"],
    "partial_fit": lambda est, X, y: (
        len(clone(est).partial_fit(X, y).partial_fit(X, y).history_["loss"]) == 2
    ),
    "predict": lambda est, X, y: est.predict(X).shape == y.shape,
    "predict_quantiles": lambda est, X, y: (
        clone(est).set_params(loss="quantile").fit(X, y).predict_quantiles(X).shape
        == y.shape + (3,)
    ),
    "score": lambda est, X, y: np.isfinite(est.score(X, y)),
    "save": _exercise_save,
    "initialize": _exercise_initialize,
    "get_params": lambda est, X, y: est.get_params()["units"] == FAST["units"],
    "set_params": lambda est, X, y: clone(est).set_params(units=3).units == 3,
    "get_metadata_routing": lambda est, X, y: (
        est.get_metadata_routing().fit.requests == {"sample_weight": None}
    ),
    "set_fit_request": lambda est, X, y: _exercise_routing_request(est, "fit"),
    "set_partial_fit_request": lambda est, X, y: _exercise_routing_request(
        est, "partial_fit"
    ),
    "set_score_request": lambda est, X, y: _exercise_routing_request(est, "score"),
}


def test_every_public_name_is_exercised_or_absent():
    public = {n for n in dir(LSTMSeqRegressor) if not n.startswith("_")}
    assert public == set(_EXERCISES) | _HIDDEN
    est = LSTMSeqRegressor(**FAST)
    params = set(est.get_params())
    assert {n for n in dir(est) if not n.startswith("_")} == set(_EXERCISES) | params
    for name in _HIDDEN:
        assert not hasattr(LSTMSeqRegressor, name) and not hasattr(est, name)


@pytest.mark.parametrize("name", sorted(_EXERCISES))
def test_public_name_works(fitted_small, name):
    est, X, y = fitted_small
    result = _EXERCISES[name](est, X, y)
    assert result is None or result


def test_documented_fitted_attributes_exist(fitted_small):
    from numpydoc.docscrape import NumpyDocString

    doc = NumpyDocString(LSTMSeqRegressor.__doc__)
    names = {n.strip() for item in doc["Attributes"] for n in item.name.split(",")}
    est = fitted_small[0]
    assert "model_" in names
    # feature_names_in_ exists only after a fit on a DataFrame.
    assert not [n for n in names - {"feature_names_in_"} if not hasattr(est, n)]
    assert not [n for n in names if hasattr(LSTMSeqRegressor(), n)]


@pytest.fixture(scope="module")
def fitted_small():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 3, 2)), rng.normal(size=(12, 2))
    return LSTMSeqRegressor(**FAST).fit(X, y), X, y


def test_setting_a_non_parameter_attribute_breaks_nothing(fitted_small):
    _, X, y = fitted_small
    est = LSTMSeqRegressor(optimizer__beta_1=0.8, **FAST)
    est.note = "x"
    assert "note" not in est.get_params()
    assert set(clone(est).get_params()) == set(est.get_params())
    est.fit(X, y)
    assert est.model_.optimizer.beta_1 == pytest.approx(0.8)
    # Routed parameters stay searchable: what GridSearchCV does per candidate.
    for candidate in ParameterGrid({"optimizer__beta_1": [0.5, 0.9]}):
        searched = clone(est).set_params(**candidate)
        assert (
            searched.get_params()["optimizer__beta_1"] == candidate["optimizer__beta_1"]
        )
        assert not hasattr(searched, "note")
    # A routed parameter set after construction is a parameter too.
    later = LSTMSeqRegressor().set_params(loss__delta=2.0)
    later.note = "x"
    assert clone(later).get_params() == later.get_params()
    assert later.get_params()["loss__delta"] == 2.0
