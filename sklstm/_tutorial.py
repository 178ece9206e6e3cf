"""The ten reference experiments of the classic Keras LSTM tutorial.

Each experiment is one :class:`~sklstm.LSTMSeqRegressor` at the reference
settings (adam, mse, 1000 epochs, batch 3, validation split 0.2, relu
recurrent layers, 50 units for one-to-many and 100 for many-to-many).
"""

import time

import numpy as np

from ._model.architectures import REGISTRY
from .datasets import REFERENCE_PROBLEMS, load_reference

__all__ = [
    "EXPERIMENTS",
    "RECIPE",
    "REFERENCE_SETTINGS",
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

#: Settings shared by every experiment (the units come from the data set).
REFERENCE_SETTINGS = dict(
    optimizer="adam",
    loss="mse",
    epochs=1000,
    batch_size=3,
    validation_split=0.2,
    activation="relu",
)


#: The recommended recipe (``sklstm tutorial --recipe``): the reference
#: model and data split, with early stopping on the validation loss and the
#: best validation weights restored, so that most fits stop well before 1000
#: epochs. See the user guide for the measurements behind it.
RECIPE = dict(
    REFERENCE_SETTINGS, early_stopping=True, patience=200, restore_best_weights=True
)


def run_experiment(problem, architecture, *, seed=0, **overrides):
    """Fit one reference experiment and measure its prediction.

    Parameters
    ----------
    problem : str
        One of :data:`sklstm.datasets.REFERENCE_PROBLEMS`.
    architecture : str
        One of the five architectures.
    seed : int, default=0
        The estimator's ``random_state``.
    **overrides : dict
        Estimator parameters that replace the reference settings (which
        include the data's ``units`` and ``target_feature_index``).

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
        **REFERENCE_SETTINGS,
        "units": data.units,
        "target_feature_index": data.target_feature_index,
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


def format_table(results):
    """Format experiment results as a plain-text table, one row per experiment.

    Parameters
    ----------
    results : list of dict
        As returned by :func:`run_experiment`.

    Returns
    -------
    table : str
        The table, with a header line.
    """
    header = (
        "problem",
        "architecture",
        "expected",
        "predicted",
        "tutorial",
        "err",
        "tut. err",
        "fit s",
    )
    rows = [
        (
            r["problem"],
            r["architecture"],
            _fmt(r["expected"]),
            _fmt(r["predicted"]),
            _fmt(r["printed"]),
            f"{r['error']:.2f}",
            f"{r['printed_error']:.2f}",
            f"{r['fit_time']:.1f}",
        )
        for r in results
    ]
    return _layout(header, rows)


def format_seed_table(results):
    """Summarize results over several seeds, one row per experiment.

    Parameters
    ----------
    results : list of dict
        As returned by :func:`run_experiment`, for several seeds.

    Returns
    -------
    table : str
        Median and worst error over the seeds next to the tutorial's error,
        whether the median beats it and whether every seed is within 0.5.
    """
    header = (
        "problem",
        "architecture",
        "seeds",
        "median err",
        "worst err",
        "tut. err",
        "median<=tut.",
        "all<0.5",
        "mean fit s",
    )
    rows = []
    for problem, arch in dict.fromkeys(
        (r["problem"], r["architecture"]) for r in results
    ):
        mine = [
            r for r in results if (r["problem"], r["architecture"]) == (problem, arch)
        ]
        errors = [r["error"] for r in mine]
        median, printed = float(np.median(errors)), mine[0]["printed_error"]
        rows.append(
            (
                problem,
                arch,
                str(len(mine)),
                f"{median:.3f}",
                f"{max(errors):.3f}",
                f"{printed:.2f}",
                "yes" if median <= printed else "NO",
                "yes" if max(errors) < 0.5 else "NO",
                f"{np.mean([r['fit_time'] for r in mine]):.1f}",
            )
        )
    return _layout(header, rows)


def _layout(header, rows):
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)
