"""sklstm inside scikit-learn's machinery: routing, pandas, HTML, processes."""

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_html_repr

from sklstm import LSTMSeqRegressor, SequenceFlattener, SequenceReshaper
from sklstm.datasets import load_many_to_many

FAST = dict(units=4, epochs=3, batch_size=4, random_state=0)


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


class _Spy(LSTMSeqRegressor):
    """Records the sample_weight that reaches fit."""

    seen = []

    def fit(self, X, y, sample_weight=None):
        type(self).seen.append(None if sample_weight is None else len(sample_weight))
        return super().fit(X, y, sample_weight=sample_weight)


def test_sample_weight_is_routed_through_pipeline_grid_and_cv(routing):
    data = load_many_to_many(n_features=2)
    X2, y2, w = data.X.reshape(20, -1), data.y[:, :, 0], np.linspace(0.5, 2, 20)
    _Spy.seen = []
    est = _Spy(**FAST).set_fit_request(sample_weight=True)
    est.set_score_request(sample_weight=True)
    pipe = make_pipeline(SequenceReshaper(n_features=2), est)
    pipe.fit(X2, y2, sample_weight=w)
    assert _Spy.seen == [20]
    grid = GridSearchCV(pipe, {"_spy__units": [3, 4]}, cv=KFold(2), error_score="raise")
    grid.fit(X2, y2, sample_weight=w)
    assert _Spy.seen[1:] == [10] * 4 + [20]  # 2 candidates x 2 folds, then refit
    cross_validate(pipe, X2, y2, cv=KFold(2), params={"sample_weight": w})
    assert _Spy.seen[-2:] == [10, 10]


def test_unrequested_sample_weight_is_an_error_with_routing(routing):
    data = load_many_to_many()
    pipe = make_pipeline(SequenceFlattener(), LSTMSeqRegressor(**FAST))
    with pytest.raises(ValueError, match="set_fit_request"):
        pipe.fit(data.X, data.y[:, :, 0], sample_weight=np.ones(20))


def test_dataframes_in_and_feature_names():
    rng = np.random.default_rng(0)
    cols = [f"lag{i}" for i in range(4)]
    df = pd.DataFrame(rng.normal(size=(16, 4)), columns=cols)
    y = pd.Series(rng.normal(size=16), name="target")
    est = LSTMSeqRegressor(**FAST).fit(df, y)
    assert list(est.feature_names_in_) == cols
    assert est.predict(df).shape == (16,)
    with pytest.warns(UserWarning, match="feature names"):
        est.predict(df.to_numpy())
    flat = SequenceFlattener().set_output(transform="pandas")
    out = flat.fit_transform(rng.normal(size=(5, 2, 3)))
    assert list(out.columns) == ["x0_t0", "x1_t0", "x2_t0", "x0_t1", "x1_t1", "x2_t1"]


def test_html_repr_links_to_the_api_page():
    html = estimator_html_repr(make_pipeline(SequenceReshaper(), LSTMSeqRegressor()))
    for name in ("LSTMSeqRegressor", "SequenceReshaper"):
        assert f"generated/sklstm.{name}.html" in html


# A configuration no other test fits (dropout, validation split, seed 7).
_CONFIG = dict(
    architecture="bidirectional_encoder_decoder",
    units=6,
    epochs=5,
    batch_size=4,
    dropout=0.1,
    validation_split=0.2,
    random_state=7,
)
_FIT_SCRIPT = textwrap.dedent(
    f"""
    import sys
    import numpy as np
    from sklstm import LSTMSeqRegressor
    from sklstm.datasets import load_many_to_many

    data = load_many_to_many(n_features=2)
    est = LSTMSeqRegressor(**{_CONFIG!r}).fit(data.X, data.y)
    np.save(sys.argv[1], est.predict(data.X))
    est.score(data.X, data.y)
    """
)


def test_fresh_process_prints_nothing_and_fits_bit_identically(tmp_path):
    # One fresh interpreter: importing sklstm, fitting, predicting and scoring
    # print nothing (TensorFlow's start-up logs included), and its forecasts
    # equal, bit for bit, those of the same fit here, where the configuration's
    # graphs are traced once and then reused from the cache.
    out = tmp_path / "pred.npy"
    done = subprocess.run(
        [sys.executable, "-c", _FIT_SCRIPT, str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (done.stdout, done.stderr) == ("", "")
    data = load_many_to_many(n_features=2)
    for _ in range(2):
        here = LSTMSeqRegressor(**_CONFIG).fit(data.X, data.y).predict(data.X)
        np.testing.assert_array_equal(np.load(out), here)


def test_verbose_shows_progress(capsys):
    data = load_many_to_many()
    LSTMSeqRegressor(**FAST).fit(data.X, data.y)
    assert capsys.readouterr() == ("", "")
    LSTMSeqRegressor(**FAST, verbose=1).fit(data.X, data.y)
    assert "3/3" in capsys.readouterr().out
