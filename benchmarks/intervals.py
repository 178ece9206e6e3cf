"""intervals: 80% and 95% prediction intervals on real series, side by side.

The fifteen series and the held-out windows of ``realdata`` (the last 20%
of windows, in time order, no training target in the test period). The
training windows are split once more in time order: the last ``max(19,
20%)`` of them calibrate (19 is the fewest a 95% split-conformal quantile
needs), ``horizon`` windows before them are dropped so that no fitting
target is also a calibration target, and the earlier ones fit. Every
contender sees exactly these windows:

- sklstm: ``SplitConformalForecaster(LSTMSeqRegressor(random_state=0),
  method="cqr")``: the estimator's defaults, trained on the quantiles of
  both intervals, conformalized per horizon step;
- sklstm split: the same with ``method="split"`` (the point forecast and a
  calibrated half-width per step), reported beside it (not in the quick
  mode);
- RidgeCV + the same split conformal method (``SequenceFlattener`` +
  ``RidgeCV``, as in ``realdata``);
- skforecast's ``ForecasterRnn`` (the ``bench`` extra), fitted on the
  fitting part of the series, its conformal intervals calibrated on our
  calibration windows (``set_out_sample_residuals``, then
  ``predict_interval(method="conformal", use_in_sample_residuals=False)``),
  with sklstm's epochs and batch size.

- "scaled": sklstm and RidgeCV with ``conformity_score="scaled"``
  (residuals over each window's spread), calibrated on the same windows from
  the same fitted models (``prefit=True``: no second training).

Three protocols, the same for every contender:

- *fixed*: calibrated once, on the calibration windows, then every held-out
  window forecast;
- *adaptive*: calibrated once, then fed each held-out window's target as
  soon as it is known in full (``update``: adaptive conformal inference,
  ``step_size=0.05``); skforecast has no such update and is left out;
- *recalibrated*: as data arrive, the way the user guide recommends for
  series that drift: before forecasting held-out window ``j``, the
  calibration is redone on the latest ``n_cal`` windows whose targets are
  known by then (``conformalize``; skforecast: ``set_out_sample_residuals``),
  the model itself unchanged. A trend carries the test windows further from
  the training data than the calibration windows were, which a fixed
  calibration cannot know.

Scores, per level, over all held-out windows and steps: the empirical
coverage (overall and its worst horizon step), the mean width and the
interval (Winkler) score ``width + 2 / alpha * distance outside``, lower is
better, in the series' units.

Targets (``TARGETS``), on every series with at least 40 held-out windows:
sklstm's coverage within 5 points of nominal overall and 10 at every step
(fixed), within 3 points overall (adaptive), within 5 points overall and at
every step (recalibrated); its interval score on the median series against
the best of RidgeCV's and ForecasterRnn's.

Coverage on a few dozen overlapping windows is itself noisy: beside each
measured coverage the report gives the range in which a perfectly
specified forecaster's coverage lands on the same windows
(``_coverage_noise``), how often that forecaster would meet each target on
every judged series, and which measured coverages fall outside its range.
"""

import math
import time

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline

from sklstm import (
    LSTMSeqRegressor,
    SequenceFlattener,
    SplitConformalForecaster,
    make_windows,
)

from . import _peer
from ._common import verdict
from ._coverage_noise import report_noise
from ._series import SERIES, series_to_run
from .realdata import ALPHAS, QUICK_EPOCHS, split_windows

TITLE = (
    "intervals: 80% and 95% intervals on real series, sklstm vs RidgeCV + "
    "conformal and skforecast"
)
LEVELS = (0.8, 0.95)
MIN_TEST = 40  # held-out windows for the coverage target to apply
TOLERANCE = 0.05
PEER = "ForecasterRnn"
PROTOCOLS = ("fixed", "adaptive", "recalibrated")
#: The contenders whose intervals are sklstm's, and the one the targets judge.
SKLSTM = "sklstm"


def calibration_split(n, horizon):
    """``(n_fit, n_cal)`` for ``n`` training windows: fit, gap, calibrate."""
    n_cal = max(19, math.ceil(0.2 * n))
    return n - n_cal - horizon, n_cal


def winkler(y, y_pis, level_index, level):
    """Mean interval score of the bounds ``y_pis[..., :, level_index]``."""
    lower, upper = y_pis[..., 0, level_index], y_pis[..., 1, level_index]
    alpha = 1 - level
    outside = np.maximum(lower - y, 0) + np.maximum(y - upper, 0)
    return float(np.mean(upper - lower + 2 / alpha * outside))


def scores(y, y_pis):
    """Coverage, worst-step coverage, width and interval score per level."""
    out = []
    for j, level in enumerate(LEVELS):
        inside = (y_pis[..., 0, j] <= y) & (y <= y_pis[..., 1, j])
        per_step = inside.mean(axis=0)
        worst = per_step[np.argmax(np.abs(per_step - level))]
        width = float(np.mean(y_pis[..., 1, j] - y_pis[..., 0, j]))
        out.append(dict(cover=inside.mean(), worst_step=worst, width=width))
        out[-1]["score"] = winkler(y, y_pis, j, level)
    return out


def recalibrated(model, X_all, y_all, first_test, n_cal):
    """Intervals of the held-out windows, recalibrated before each forecast.

    Window ``first_test + j`` is forecast after ``conformalize`` on the
    latest ``n_cal`` windows whose targets are known by then.
    """
    horizon = y_all.shape[1]
    out = []
    for j in range(len(X_all) - first_test):
        last = first_test + j - horizon  # its target ends before this window's
        model.conformalize(
            X_all[last - n_cal + 1 : last + 1], y_all[last - n_cal + 1 : last + 1]
        )
        out.append(
            model.predict_interval(X_all[first_test + j : first_test + j + 1])[1]
        )
    return np.concatenate(out)


def adaptive(model, X_test, y_test):
    """Intervals of the held-out windows, each target fed once it is known.

    Window ``j``'s target is known in full ``horizon`` windows later; from
    then on ``update`` adapts the intervals to it (the model is not refit).
    """
    horizon = y_test.shape[1]
    out = []
    for j in range(len(X_test)):
        if j >= horizon:
            model.update(
                X_test[j - horizon : j - horizon + 1],
                y_test[j - horizon : j - horizon + 1],
            )
        out.append(model.predict_interval(X_test[j : j + 1])[1])
    return np.concatenate(out)


def _conformal(estimator, method, n_cal, horizon, **kw):
    return SplitConformalForecaster(
        estimator,
        confidence_level=list(LEVELS),
        calibration_size=n_cal,
        gap=horizon,
        method=method,
        **kw,
    )


def _scaled(model, X_cal, y_cal, n_cal, horizon):
    """``model``'s fitted estimator calibrated with scale-aware scores."""
    scaled = _conformal(
        model.estimator_, model.method_, n_cal, horizon, prefit=True,
        conformity_score="scaled",
    )  # fmt: skip
    return scaled.conformalize(X_cal, y_cal)


def evaluate(name, quick, peer=True):
    """Intervals of every contender on one series: their scores and times."""
    loader, n_in, horizon, _, _, _ = SERIES[name]
    series = np.asarray(loader(), dtype=float)
    X, y, X_test, y_test = split_windows(series, n_in, horizon)
    n_fit, n_cal = calibration_split(len(X), horizon)
    X_all, y_all = make_windows(series, n_in, horizon)
    X_all = X_all.reshape(len(X_all), n_in, 1)
    first_test = len(X) + horizon - 1  # split_windows drops horizon - 1
    if not np.array_equal(X_all[first_test:], X_test):
        raise RuntimeError(f"{name}: the held-out windows are not realdata's")
    lstm = LSTMSeqRegressor(
        random_state=0, **({"epochs": QUICK_EPOCHS} if quick else {})
    )
    contenders = {
        "sklstm": _conformal(lstm, "cqr", n_cal, horizon),
        **(
            {} if quick else {"sklstm split": _conformal(lstm, "split", n_cal, horizon)}
        ),
        "RidgeCV": _conformal(
            make_pipeline(SequenceFlattener(), RidgeCV(alphas=ALPHAS)),
            "split",
            n_cal,
            horizon,
        ),
    }
    results, times = {p: {} for p in PROTOCOLS}, {}

    def judge(label, model):
        results["fixed"][label] = scores(y_test, model.predict_interval(X_test)[1])
        results["adaptive"][label] = scores(y_test, adaptive(model, X_test, y_test))
        rolling = recalibrated(model, X_all, y_all, first_test, n_cal)
        results["recalibrated"][label] = scores(y_test, rolling)

    for label, model in contenders.items():
        start = time.perf_counter()
        model.fit(X, y)
        times[label] = time.perf_counter() - start
        if model.n_calibration_ != n_cal:
            raise RuntimeError(f"{label} calibrated on {model.n_calibration_} windows")
        judge(label, model)
        if label != "sklstm split":  # the same fitted model, scale-aware scores
            scaled = _scaled(model, X[-n_cal:], y[-n_cal:], n_cal, horizon)
            judge(f"{label} scaled", scaled)
    if peer:
        # The fitting part of the series ends with the last fitting target.
        fit_series = series[: n_fit + n_in + horizon - 1]
        start = time.perf_counter()
        forecaster, _ = _peer.fit(
            fit_series, X[:n_fit], y[:n_fit], lstm.epochs,
            contenders["sklstm"].estimator_.batch_size_,
        )  # fmt: skip
        times[PEER] = time.perf_counter() - start
        fixed = _peer.predict_interval(
            forecaster, X[-n_cal:], y[-n_cal:], X_test, LEVELS
        )
        results["fixed"][PEER] = scores(y_test, fixed)
        rolling = _peer.predict_interval_rolling(
            forecaster, X_all, y_all, first_test, n_cal, LEVELS
        )
        results["recalibrated"][PEER] = scores(y_test, rolling)
    return dict(
        name=name,
        shapes=(n_fit, n_cal, len(X_test), horizon),
        results=results,
        times=times,
    )


def run(report, quick=False):
    names = series_to_run("intervals", quick)
    peer = _peer.available()
    report.heading(TITLE)
    report.text(
        "The held-out windows of realdata; the training windows split in time "
        "order into fitting and calibration windows (the last max(19, 20%); a "
        "gap of one horizon between). Three protocols: fixed (calibrated "
        "once), adaptive (calibrated once, then update() with each held-out "
        "target once known: adaptive conformal inference, step_size=0.05) and "
        "recalibrated (before each held-out forecast, on the latest "
        "calibration-size windows whose targets are known). sklstm: "
        "SplitConformalForecaster(LSTMSeqRegressor(random_state=0), "
        "method='cqr'); sklstm split: method='split'; RidgeCV + split "
        "conformal; 'scaled': the same fitted models with "
        "conformity_score='scaled'; "
        + (
            f"skforecast {_peer.version()} {PEER} with its conformal intervals "
            "calibrated on the same windows (set_out_sample_residuals; no "
            "adaptive protocol)."
            if peer
            else f"{PEER} left out: skforecast is not installed (pip install -e "
            "'.[bench]')."
        )
    )
    results = [evaluate(name, quick, peer=peer) for name in names]
    found = {p: _report(report, p, results) for p in PROTOCOLS}
    report.text(
        "cover: the share of held-out targets inside the interval; width: its "
        "mean width; score: the mean interval (Winkler) score, lower is better; "
        f"{JUDGED} step cover: its coverage at the horizon step farthest from "
        "nominal; score ratio: its score over the best of RidgeCV's (same "
        f"scores) and {PEER}'s. Fit seconds per series: "
        + "; ".join(
            f"{r['name']} " + ", ".join(f"{k} {v:.0f}" for k, v in r["times"].items())
            for r in results
        )
    )
    for protocol, (overall, step) in TARGETS.items():
        worst, where, worst_step, where_step, _ = found[protocol]
        what = (
            f"{JUDGED}, {protocol}: worst coverage deviation (series with >= "
            f"{MIN_TEST} held-out windows)"
        )
        if where is None:
            report.text(f"{what}: no such series -- NOT CHECKED")
            continue
        met = worst <= overall and (step is None or worst_step <= step)
        line = f"{what}: overall {worst:.3f} ({where[0]} at {where[1]:.0%})"
        if step is not None:
            line += (
                f", any step {worst_step:.3f} ({where_step[0]} at {where_step[1]:.0%})"
            )
        limits = f"<= {overall}" + (
            "" if step is None else f" overall, <= {step} per step"
        )
        report.text(f"{line} -- target {limits}: {verdict(bool(met), quick)}")
    noise = [
        (r["name"], *r["shapes"][1:],
         {p: [s["cover"] for s in r["results"][p][JUDGED]] for p in PROTOCOLS},
         r["shapes"][2] >= MIN_TEST)
        for r in results
    ]  # fmt: skip
    report_noise(
        report, noise, LEVELS, TARGETS, judged=JUDGED, reps=100 if quick else 1000
    )
    for protocol in PROTOCOLS:
        medians = found[protocol][4]
        for level in LEVELS:
            report.text(
                f"median {JUDGED}/best interval score at {level:.0%}, {protocol}: "
                f"{medians[level]:.3f}"
            )
    return results


#: The sklstm intervals the targets judge, and the targets per protocol:
#: (largest overall coverage deviation, largest per-step deviation or None).
JUDGED = "sklstm"
TARGETS = {
    "fixed": (0.05, 0.10),
    "adaptive": (0.03, None),
    "recalibrated": (0.05, 0.05),
}


def _baselines(label, labels):
    """What ``label`` is judged against: RidgeCV with the same scores, the peer."""
    ridge = "RidgeCV scaled" if label.endswith("scaled") else "RidgeCV"
    return [k for k in (ridge, PEER) if k in labels]


def _report(report, protocol, results):
    """One protocol's table; returns the judged contender's worst deviations
    (overall, where, per step, where) and its median score ratios."""
    labels = list(results[0]["results"][protocol])
    header = ["series", "fit/cal/test", "level"]
    for label in labels:
        header += [f"{label} cover", f"{label} width", f"{label} score"]
    header += [f"{JUDGED} step cover", f"{JUDGED} score ratio"]
    rows, overall, per_step = [], {}, {}
    ratios = {level: [] for level in LEVELS}
    for r in results:
        n_fit, n_cal, n_test, _ = r["shapes"]
        res = r["results"][protocol]
        for j, level in enumerate(LEVELS):
            row = [r["name"], f"{n_fit}/{n_cal}/{n_test}", f"{level:.0%}"]
            for label in labels:
                s = res[label][j]
                row += [f"{s['cover']:.3f}", f"{s['width']:.4g}", f"{s['score']:.4g}"]
            sk = res[JUDGED][j]
            best = min(res[k][j]["score"] for k in _baselines(JUDGED, labels))
            ratios[level].append(sk["score"] / best)
            row += [f"{sk['worst_step']:.3f}", f"{sk['score'] / best:.3f}"]
            rows.append(row)
            if n_test >= MIN_TEST:
                overall[(r["name"], level)] = abs(sk["cover"] - level)
                per_step[(r["name"], level)] = abs(sk["worst_step"] - level)
    report.text(f"-- {protocol} --")
    report.table(header, rows)
    medians = {level: float(np.median(ratios[level])) for level in LEVELS}
    where = max(overall, key=overall.get) if overall else None
    where_step = max(per_step, key=per_step.get) if per_step else None
    return (
        overall.get(where),
        where,
        per_step.get(where_step),
        where_step,
        medians,
    )
