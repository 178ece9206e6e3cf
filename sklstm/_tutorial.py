"""The ten reference experiments of the classic Keras LSTM tutorial.

Each experiment is fitted twice as an :class:`~sklstm.LSTMSeqRegressor`:

- **network alone**, as the tutorial trains it (:data:`REFERENCE_SETTINGS`:
  adam, mse, 1000 epochs, batch 3, validation split 0.2, relu recurrent
  layers, 50 units for one-to-many and 100 for many-to-many, no early
  stopping and no linear path). sklstm's data mapping (window normalization,
  standardization) and its best-validation checkpoint stay on: they are how
  sklstm trains any network;
- **defaults**: sklstm's defaults (:data:`DEFAULTS`: nothing but the data's
  units and layout), which add the ridge regression beside the network and
  early stopping. Every reference problem is a linear sequence, so the
  ridge regression answers it exactly.
"""

import time

import numpy as np

from ._model.architectures import REGISTRY
from .datasets import REFERENCE_PROBLEMS, load_reference

__all__ = [
    "DEFAULTS",
    "EXPERIMENTS",
    "REFERENCE_SETTINGS",
    "SETTINGS",
    "format_seed_table",
    "format_table",
    "run_experiment",
]

#: (problem, architecture) of the ten experiments, in the tutorial's order.
EXPERIMENTS = tuple(
    (problem, arch)
    for problem in REFERENCE_PROBLEMS
    for arch, entry in REGISTRY.items()
    if problem.startswith(entry.problem)
)

#: The tutorial's training of the network alone (the units come from the
#: data set): no linear path and no early stopping.
REFERENCE_SETTINGS = dict(
    optimizer="adam",
    loss="mse",
    epochs=1000,
    batch_size=3,
    validation_split=0.2,
    activation="relu",
    linear_path=None,
    early_stopping=False,
)

#: sklstm's defaults: no parameter beyond the data's units and layout.
DEFAULTS = {}

#: The two columns of ``sklstm tutorial``, by name.
SETTINGS = {"network alone": REFERENCE_SETTINGS, "defaults": DEFAULTS}


def run_experiment(problem, architecture, *, seed=0, settings=None, **overrides):
    """Fit one reference experiment and measure its prediction.

    Parameters
    ----------
    problem : str
        One of :data:`sklstm.datasets.REFERENCE_PROBLEMS`.
    architecture : str
        One of the five architectures.
    seed : int, default=0
        The estimator's ``random_state``.
    settings : dict, default=None
        Estimator parameters beyond the data's ``units``,
        ``target_feature_index`` and ``n_target_features``; None means
        :data:`REFERENCE_SETTINGS`, :data:`DEFAULTS` sklstm's defaults.
    **overrides : dict
        Estimator parameters that replace those of ``settings`` and the
        data's.

    Returns
    -------
    result : dict
        ``problem``, ``architecture``, ``seed``, ``expected``, ``predicted``,
        ``printed``, ``error`` (worst absolute error of the prediction),
        ``printed_error`` and ``fit_time`` (seconds).
    """
    from ._estimator.regressor import LSTMSeqRegressor

    data = load_reference(problem)
    params = {
        **(REFERENCE_SETTINGS if settings is None else settings),
        "units": data.units,
        "target_feature_index": data.target_feature_index,
        "n_target_features": data.n_target_features,
        **overrides,
    }
    est = LSTMSeqRegressor(architecture=architecture, random_state=seed, **params)
    start = time.perf_counter()
    est.fit(data.X, data.y)
    fit_time = time.perf_counter() - start
    expected = data.y_test.ravel()
    predicted = est.predict(data.X_test).ravel()
    printed = np.asarray(data.printed[architecture])
    return dict(
        problem=problem,
        architecture=architecture,
        seed=seed,
        expected=expected,
        predicted=predicted,
        printed=printed,
        error=float(np.max(np.abs(predicted - expected))),
        printed_error=float(np.max(np.abs(printed - expected))),
        fit_time=fit_time,
    )


def _fmt(values):
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


def _by_experiment(results):
    """``{(problem, architecture): {settings name: [result, ...]}}``, in order.

    ``results`` maps each name of :data:`SETTINGS` to the list of
    :func:`run_experiment` results fitted with it.
    """
    table = {}
    for name, fits in results.items():
        for r in fits:
            key = (r["problem"], r["architecture"])
            table.setdefault(key, {}).setdefault(name, []).append(r)
    return table


def format_table(results):
    """Format one seed's results side by side, one row per experiment.

    Parameters
    ----------
    results : dict of str to list of dict
        For each name of :data:`SETTINGS` (a column group), the results of
        :func:`run_experiment` with those settings.

    Returns
    -------
    table : str
        The table, with a header line: the expected answer, the tutorial's
        printed prediction and its error, then per column group the
        prediction, its worst absolute error and the fit time.
    """
    header = ["problem", "architecture", "expected", "tutorial", "tut. err"]
    for name in results:
        header += [name, "err", "fit s"]
    rows = []
    for (problem, arch), fits in _by_experiment(results).items():
        first = next(iter(fits.values()))[0]
        row = [problem, arch, _fmt(first["expected"]), _fmt(first["printed"])]
        row.append(f"{first['printed_error']:.2f}")
        for name in results:
            (r,) = fits[name]
            row += [_fmt(r["predicted"]), f"{r['error']:.2f}", f"{r['fit_time']:.1f}"]
        rows.append(row)
    return _layout(header, rows)


def format_seed_table(results):
    """Summarize results over several seeds side by side, one row per experiment.

    Parameters
    ----------
    results : dict of str to list of dict
        For each name of :data:`SETTINGS`, the results of
        :func:`run_experiment` for several seeds.

    Returns
    -------
    table : str
        The tutorial's error, then per column group the median and worst
        error over the seeds, whether the median beats the tutorial's
        (``<=tut.``) and the mean fit time.
    """
    header = ["problem", "architecture", "seeds", "tut. err"]
    for name in results:
        header += [f"{name} median", "worst", "<=tut.", "mean fit s"]
    rows = []
    for (problem, arch), fits in _by_experiment(results).items():
        first = next(iter(fits.values()))
        printed = first[0]["printed_error"]
        row = [problem, arch, str(len(first)), f"{printed:.2f}"]
        for name in results:
            errors = [r["error"] for r in fits[name]]
            median = float(np.median(errors))
            row += [f"{median:.3f}", f"{max(errors):.3f}"]
            row.append("yes" if median <= printed else "NO")
            row.append(f"{np.mean([r['fit_time'] for r in fits[name]]):.1f}")
        rows.append(row)
    return _layout(header, rows)


def _layout(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)
