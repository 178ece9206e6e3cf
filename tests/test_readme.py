"""The README's quickstart runs as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_runs(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README has no python code block"
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
    lines = capsys.readouterr().out.strip().splitlines()
    assert "lstmseqregressor__architecture" in lines[0]  # grid.best_params_
    assert lines[1].startswith("[") and lines[1].endswith("]")  # cross_val_score
    # The forecasting section: the LSTM follows the trend past the training
    # range, as closely as a linear model does.
    maes = dict(line.split(": MAE ") for line in lines[2:])
    assert float(maes["LSTMSeqRegressor"]) < 0.3  # noise alone: about 0.16
    assert float(maes["LSTMSeqRegressor"]) < 1.5 * float(maes["RidgeCV"])
