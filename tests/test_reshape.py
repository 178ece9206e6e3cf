import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm._data.flatten import SequenceFlattener
from sklstm._data.reshape import SequenceReshaper


@parametrize_with_checks([SequenceReshaper(), SequenceFlattener()])
def test_sklearn_compatible(estimator, check, monkeypatch):
    # Without SCIPY_ARRAY_API the array API check is skipped; run it too.
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    check(estimator)


# --------------------------------------------------------------------------
# SequenceReshaper
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, (6, 1)),
        ({"timesteps": 3}, (3, 2)),
        ({"n_features": 3}, (2, 3)),
        ({"timesteps": 2, "n_features": 3}, (2, 3)),
        ({"timesteps": 1}, (1, 6)),
    ],
)
def test_reshaper_resolves_shape(params, expected):
    X = np.arange(24.0).reshape(4, 6)
    reshaper = SequenceReshaper(**params).fit(X)
    assert (reshaper.timesteps_, reshaper.n_features_) == expected
    assert reshaper.n_features_in_ == 6
    assert reshaper.transform(X).shape == (4, *expected)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
@pytest.mark.parametrize("params", [{}, {"timesteps": 2}, {"n_features": 2}])
def test_reshaper_round_trip_and_time_major(params, dtype):
    X3d = np.arange(24).reshape(3, 4, 2).astype(dtype)
    X = X3d.reshape(3, -1)
    reshaper = SequenceReshaper(**params)
    out = reshaper.fit_transform(X)
    assert out.dtype == dtype
    # time-major: reshaping back reproduces the flat row exactly
    assert_array_equal(out.reshape(3, -1), X)
    assert_array_equal(reshaper.inverse_transform(out), X)
    if params == {"n_features": 2}:
        assert_array_equal(out, X3d)


def test_reshaper_returns_views():
    X = np.arange(12.0).reshape(2, 6)
    reshaper = SequenceReshaper(timesteps=3).fit(X)
    X3d = reshaper.transform(X)
    assert np.shares_memory(X3d, X)
    X2d = reshaper.inverse_transform(X3d)
    assert np.shares_memory(X2d, X)


def test_reshaper_keeps_nan():
    X = np.array([[1.0, np.nan, 3.0, 4.0]])
    out = SequenceReshaper(n_features=2).fit_transform(X)
    assert np.isnan(out[0, 0, 1])


def test_reshaper_dataframe_input():
    X = pd.DataFrame(
        np.arange(8.0).reshape(2, 4), columns=["a_t0", "b_t0", "a_t1", "b_t1"]
    )
    reshaper = SequenceReshaper(n_features=2).fit(X)
    assert_array_equal(reshaper.feature_names_in_, X.columns)
    assert reshaper.n_features_in_ == 4
    out = reshaper.transform(X)
    assert isinstance(out, np.ndarray)
    assert_array_equal(out[1], [[4.0, 5.0], [6.0, 7.0]])


@pytest.mark.parametrize(
    "params, message",
    [
        ({"timesteps": 4}, "timesteps=4 must divide the 6 columns; try 1, 2, 3 or 6"),
        ({"n_features": 5}, "n_features=5 must divide the 6 columns; try 1, 2, 3"),
        ({"timesteps": 2, "n_features": 2}, "product must be 6"),
    ],
)
def test_reshaper_bad_split_names_divisors(params, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        SequenceReshaper(**params).fit(np.zeros((2, 6)))


@pytest.mark.parametrize("params", [{"timesteps": 0}, {"n_features": 1.5}])
def test_reshaper_invalid_params(params):
    with pytest.raises(ValueError, match="must be an int in the range"):
        SequenceReshaper(**params).fit(np.zeros((2, 6)))


def test_reshaper_rejects_3d_input():
    X3d = np.zeros((2, 3, 1))
    with pytest.raises(ValueError, match="already 3-D.*Remove the reshaper"):
        SequenceReshaper().fit(X3d)
    reshaper = SequenceReshaper().fit(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="already 3-D"):
        reshaper.transform(X3d)


def test_reshaper_width_change_at_transform():
    reshaper = SequenceReshaper(n_features=2).fit(np.zeros((2, 6)))
    msg = "X has 4 features, but SequenceReshaper is expecting 6 features.*refit"
    with pytest.raises(ValueError, match=msg):
        reshaper.transform(np.zeros((2, 4)))


def test_reshaper_inverse_transform_checks_shape():
    reshaper = SequenceReshaper(n_features=2).fit(np.zeros((2, 6)))
    with pytest.raises(ValueError, match=re.escape("shape (n_samples, 3, 2)")):
        reshaper.inverse_transform(np.zeros((2, 2, 3)))
    with pytest.raises(ValueError, match=re.escape("shape (n_samples, 3, 2)")):
        reshaper.inverse_transform(np.zeros((2, 6)))


@pytest.mark.parametrize("bad", [np.array([["a", "b"]]), np.array([[1j, 2j]])])
def test_reshaper_rejects_non_numeric(bad):
    with pytest.raises(ValueError):
        SequenceReshaper().fit(bad)


def test_reshaper_refit_uses_new_width():
    reshaper = SequenceReshaper(n_features=2)
    reshaper.fit(np.zeros((1, 4)))
    reshaper.fit(np.zeros((1, 8)))
    assert (reshaper.timesteps_, reshaper.n_features_) == (4, 2)
    assert clone(reshaper).get_params() == {"timesteps": None, "n_features": 2}


# --------------------------------------------------------------------------
# SequenceFlattener
# --------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_flattener_time_major_view(dtype):
    X3d = np.arange(24, dtype=dtype).reshape(3, 4, 2)
    flattener = SequenceFlattener().fit(X3d)
    out = flattener.transform(X3d)
    assert out.dtype == dtype
    assert flattener.input_shape_ == (4, 2)
    assert flattener.n_features_in_ == 4
    assert_array_equal(out, X3d.reshape(3, -1))
    assert_array_equal(out[0], [0, 1, 2, 3, 4, 5, 6, 7])
    assert np.shares_memory(out, X3d)


def test_flattener_inverse_of_reshaper():
    X = np.random.RandomState(0).normal(size=(5, 12))
    X3d = SequenceReshaper(n_features=3).fit_transform(X)
    assert_array_equal(SequenceFlattener().fit_transform(X3d), X)


def test_flattener_passes_2d_through():
    X = np.arange(6.0).reshape(3, 2)
    flattener = SequenceFlattener().fit(X)
    out = flattener.transform(X)
    assert out is X
    assert flattener.input_shape_ == (2,)
    assert flattener.n_features_in_ == 2


def test_flattener_keeps_nan():
    X3d = np.array([[[np.nan, 1.0], [2.0, 3.0]]])
    out = SequenceFlattener().fit_transform(X3d)
    assert np.isnan(out[0, 0])


def test_flattener_feature_names_3d():
    X3d = np.zeros((2, 2, 2))
    flattener = SequenceFlattener().fit(X3d)
    assert flattener.get_feature_names_out().tolist() == [
        "x0_t0",
        "x1_t0",
        "x0_t1",
        "x1_t1",
    ]
    names = flattener.get_feature_names_out(["temp", "rain"]).tolist()
    assert names == ["temp_t0", "rain_t0", "temp_t1", "rain_t1"]
    with pytest.raises(ValueError, match="one name per feature"):
        flattener.get_feature_names_out(["a", "b", "c"])


def test_flattener_feature_names_2d():
    X = np.zeros((2, 3))
    assert SequenceFlattener().fit(X).get_feature_names_out().tolist() == [
        "x0",
        "x1",
        "x2",
    ]
    df = pd.DataFrame(X, columns=["a", "b", "c"])
    flattener = SequenceFlattener().fit(df)
    assert_array_equal(flattener.feature_names_in_, ["a", "b", "c"])
    assert flattener.get_feature_names_out().tolist() == ["a", "b", "c"]


def test_flattener_set_output_pandas():
    X3d = np.arange(12.0).reshape(2, 3, 2)
    flattener = SequenceFlattener().set_output(transform="pandas")
    out = flattener.fit_transform(X3d)
    assert isinstance(out, pd.DataFrame)
    assert out.columns.tolist() == [
        "x0_t0",
        "x1_t0",
        "x0_t1",
        "x1_t1",
        "x0_t2",
        "x1_t2",
    ]
    assert_array_equal(out.to_numpy(), X3d.reshape(2, -1))


@pytest.mark.parametrize("shape", [(4,), (2, 2, 2, 2)])
def test_flattener_rejects_bad_ndim(shape):
    X = np.zeros(shape)
    with pytest.raises(ValueError, match=f"got a {len(shape)}-D array"):
        SequenceFlattener().fit(X)
    flattener = SequenceFlattener().fit(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=f"got a {len(shape)}-D array"):
        flattener.transform(X)


@pytest.mark.parametrize(
    "fit_shape, new_shape, message",
    [
        ((2, 3, 2), (2, 4, 2), r"per-sample shape \(4, 2\).*fitted on.*\(3, 2\)"),
        ((2, 3, 2), (2, 3, 1), r"per-sample shape \(3, 1\)"),
        ((2, 3, 2), (2, 6), r"per-sample shape \(6,\)"),
        ((2, 6), (2, 5), "X has 5 features, but SequenceFlattener is expecting 6"),
    ],
)
def test_flattener_shape_change_at_transform(fit_shape, new_shape, message):
    flattener = SequenceFlattener().fit(np.zeros(fit_shape))
    with pytest.raises(ValueError, match=message):
        flattener.transform(np.zeros(new_shape))


def test_flattener_rejects_empty_steps():
    with pytest.raises(ValueError, match="0 timesteps or 0 features"):
        SequenceFlattener().fit(np.zeros((2, 3, 0)))


def test_flattener_in_pipeline_with_ridge():
    rng = np.random.RandomState(0)
    X3d = rng.normal(size=(40, 3, 2))
    coef = np.arange(1.0, 7.0)
    y = X3d.reshape(40, -1) @ coef
    pipe = make_pipeline(SequenceFlattener(), Ridge(alpha=1e-8)).fit(X3d, y)
    np.testing.assert_allclose(pipe[-1].coef_, coef, rtol=1e-6)
    np.testing.assert_allclose(pipe.predict(X3d[:5]), y[:5], rtol=1e-6)


def test_reshaper_then_flattener_pipeline_round_trip():
    X = np.arange(20.0).reshape(2, 10)
    pipe = make_pipeline(SequenceReshaper(n_features=5), SequenceFlattener())
    assert_array_equal(pipe.fit_transform(X), X)
