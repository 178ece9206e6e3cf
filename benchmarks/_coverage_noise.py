"""How far from nominal a perfectly specified forecaster's coverage lands.

Coverage measured on a few dozen overlapping held-out windows is itself a
noisy number. ``intervals`` reports, beside each measured coverage, the
range a forecaster that cannot be improved on would show with the same
calibration windows, held-out windows and horizon, so that a miss can be
told from sampling noise.

The simulated series is a Gaussian AR(1) process (coefficient ``phi``,
unit innovations) and the forecaster is its true model: the error of its
``k``-step forecast is ``sum(phi**j * eps[t - j] for j < k)``. Windows are
cut at every step, as ``intervals`` cuts them (overlapping targets), with
``n_cal`` calibration windows, a gap of one horizon and ``n_test`` held-out
windows. Three ways to draw its intervals, each with sklstm's own
quantile rules:

- ``known``: the true quantiles of its errors (no calibration at all);
- ``fixed``: split conformal on the calibration windows' absolute errors
  (:func:`sklstm._intervals.quantiles.conformal_quantiles`), calibrated once;
- ``adaptive``: the same, then adaptive conformal inference fed each
  held-out window's errors a horizon later, as ``intervals.adaptive`` feeds
  ``update`` (:func:`sklstm._intervals.adaptive.adaptive_quantiles`, the same
  step).
"""

import numpy as np
from scipy.stats import norm

from sklstm._intervals.adaptive import adaptive_quantiles
from sklstm._intervals.quantiles import conformal_quantiles

__all__ = ["oracle_coverage", "report_noise"]

#: Sorted pools of at most about this many scores per adaptive step (speed).
_ADAPTIVE_SCORES = 1_000_000


def _errors(rng, reps, n_windows, horizon, phi):
    """Forecast errors ``(reps, n_windows, horizon)`` and their true scales."""
    eps = rng.standard_normal((reps, n_windows + horizon))
    errors = np.zeros((reps, n_windows, horizon))
    for k in range(horizon):
        for j in range(k + 1):
            errors[:, :, k] += phi**j * eps[:, k - j : k - j + n_windows]
    return errors, np.sqrt(np.cumsum(phi ** (2 * np.arange(horizon))))


def _adaptive(pool, test, levels, horizon, step_size):
    """Coverage ``(reps * horizon,)`` per level under ACI, fed a horizon late."""
    aim = (1.0 - levels)[:, np.newaxis]
    alpha = np.repeat(aim, pool.shape[1], axis=1)
    pools = np.repeat(pool[np.newaxis], len(levels), axis=0)
    hits = np.zeros_like(alpha)
    for j in range(len(test)):
        if j >= horizon:
            score = test[j - horizon]
            alpha += step_size * (aim - (score > adaptive_quantiles(pools, alpha)))
            new = np.broadcast_to(score, (len(levels), 1, score.size))
            pools = np.concatenate([pools[:, 1:], new], axis=1)
        hits += test[j] <= adaptive_quantiles(pools, alpha)
    return hits / len(test)


def oracle_coverage(
    n_cal, n_test, horizon, levels, *, phi=0.0, reps=1000, step_size=0.05, seed=0
):
    """Coverage of the true model's intervals over many simulated hold-outs.

    Returns ``{"known" | "fixed" | "adaptive": (overall, per_step)}`` with
    ``overall`` of shape ``(reps, n_levels)`` (the coverage of all held-out
    windows and steps) and ``per_step`` of shape ``(reps, n_levels,
    horizon)``. The adaptive protocol runs on at most ``reps`` series, fewer
    for long calibrations (its pools are sorted at every step).
    """
    levels = np.asarray(levels, dtype=float)
    rng = np.random.default_rng(seed)
    errors, scale = _errors(rng, reps, n_cal + horizon + n_test, horizon, phi)
    scores = np.abs(errors)
    cal, test = scores[:, :n_cal], scores[:, n_cal + horizon :]
    per_level = test[:, np.newaxis]  # (reps, 1, n_test, horizon)
    known = norm.ppf(0.5 + levels / 2)[:, np.newaxis] * scale
    pool = cal.transpose(1, 0, 2).reshape(n_cal, -1)  # reps x horizon outputs
    fixed = conformal_quantiles(pool, levels).reshape(len(levels), reps, horizon)
    out = {
        "known": (per_level <= known[np.newaxis, :, np.newaxis]).mean(axis=2),
        "fixed": (per_level <= fixed.transpose(1, 0, 2)[:, :, np.newaxis]).mean(2),
    }
    n = max(100, min(reps, _ADAPTIVE_SCORES // (n_cal * horizon)))
    flat = test[:n].transpose(1, 0, 2).reshape(n_test, -1)
    hits = _adaptive(pool[:, : n * horizon], flat, levels, horizon, step_size)
    out["adaptive"] = hits.reshape(len(levels), n, horizon).transpose(1, 0, 2)
    return {k: (v.mean(axis=2), v) for k, v in out.items()}


def _within(protocol, overall, per_step, levels, targets):
    """Per simulated hold-out: does every level meet ``protocol``'s target?"""
    limit, step = targets[protocol]
    ok = np.all(np.abs(overall - levels) <= limit + 1e-12, axis=1)
    if step is not None:
        ok &= np.all(np.abs(per_step - levels[:, np.newaxis]) <= step + 1e-12, (1, 2))
    return ok


def report_noise(report, rows, levels, targets, *, judged, reps, phis=(0.0, 0.9)):
    """The oracle's coverage range beside the measured one, per series and level.

    ``rows``: ``(name, n_cal, n_test, horizon, {protocol: coverages per
    level}, is_judged)`` for every series; ``targets``: ``{protocol:
    (overall limit, per-step limit or None)}`` for "fixed" and "adaptive".
    Prints a table (the first of ``phis``) and, for each ``phi``, the
    probability that the oracle meets each target on every judged series.
    """
    levels = np.asarray(levels, dtype=float)
    protocols = ("fixed", "adaptive")
    header = ["series", "cal/test/h", "level"]
    for p in protocols:
        header += [f"{judged} {p}", f"oracle {p} 90% range", "oracle within target"]
    table, outside, joint = [], {p: [] for p in protocols}, {}
    for phi in phis:
        joint[phi] = {p: 1.0 for p in protocols}
        for name, n_cal, n_test, horizon, measured, is_judged in rows:
            if phi != phis[0] and not is_judged:  # the table shows the first only
                continue
            sim = oracle_coverage(n_cal, n_test, horizon, levels, phi=phi, reps=reps)
            if is_judged:
                for p in protocols:
                    joint[phi][p] *= _within(p, *sim[p], levels, targets).mean()
            if phi != phis[0]:
                continue
            for j, level in enumerate(levels):
                row = [name, f"{n_cal}/{n_test}/{horizon}", f"{level:.0%}"]
                for p in protocols:
                    cover = sim[p][0][:, j]
                    low, high = np.quantile(cover, [0.05, 0.95])
                    alone = np.abs(cover - level) <= targets[p][0] + 1e-12
                    row += [f"{measured[p][j]:.3f}", f"{low:.3f}-{high:.3f}"]
                    row += [f"{alone.mean():.2f}"]
                    if is_judged and not low <= measured[p][j] <= high:
                        outside[p].append(f"{name} at {level:.0%}")
                table.append(row)
    report.text(
        "-- coverage noise: a perfectly specified forecaster on the same windows --"
    )
    report.table(header, table)
    report.text(
        "oracle: the true model of a simulated Gaussian AR(1) series (white-noise "
        f"errors in the table) with these calibration windows, held-out windows "
        f"and horizon, {reps} hold-outs; its intervals split conformal (fixed) "
        "and adaptive conformal inference (adaptive) with sklstm's own rules. "
        "90% range: where 90% of its coverages land; oracle within target: how "
        "often its overall coverage is within the target's points of nominal."
    )
    n_judged = sum(row[-1] for row in rows)
    for phi in phis:
        report.text(
            f"oracle (AR coefficient {phi}) meets the target on every judged "
            f"series and level ({n_judged} series): "
            + (
                ", ".join(f"{p} {joint[phi][p]:.3f}" for p in protocols)
                if n_judged
                else "no series judged"
            )
        )
    for p in protocols:
        report.text(
            f"{judged}, {p}: outside the oracle's 90% range on "
            + (", ".join(outside[p]) if outside[p] else "no judged series")
        )
