"""The README's quickstart runs as written."""

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README has no python code block"
    namespace = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    lines = capsys.readouterr().out.strip().splitlines()
    assert "lstmseqregressor__architecture" in lines[0]  # grid.best_params_
    # The search over every architecture (no other test repeats it): five
    # candidates, every fold scored, and a refitted best pipeline.
    grid, y2d = namespace["grid"], namespace["y2d"]
    assert len(grid.cv_results_["params"]) == 5
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert grid.best_estimator_.predict(namespace["X2d"]).shape == y2d.shape
    assert lines[1].startswith("[") and lines[1].endswith("]")  # cross_val_score
    # The forecasting section, on a real seasonal series: the LSTM with its
    # defaults beats the seasonal naive forecast and matches RidgeCV.
    forecasts = [line.split(": MAE ") for line in lines if ": MAE " in line]
    maes = {k: float(v) for k, v in forecasts}
    assert maes["LSTMSeqRegressor"] < 0.9 * maes["same month last year"]
    assert maes["LSTMSeqRegressor"] < 1.05 * maes["RidgeCV"]
    # The many-series section: one forecast row per series.
    assert "(3, 6)" in lines
    # The covariates section: windows span the horizon, and knowing the
    # forecast days' temperature beats the past alone by far.
    assert "(391, 10, 2)" in lines
    assert maes["with covariates"] < 0.5 * maes["past only"]
    panel = namespace["panel"]
    assert sorted(set(panel.series_id)) == ["a", "b", "c"]
