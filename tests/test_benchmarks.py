"""Smoke test of the benchmarks: ``python -m benchmarks --quick`` runs them all.

The quick mode only checks that every benchmark runs and prints its table
and its ratio lines; its numbers mean nothing and are not asserted.
"""

import importlib

import numpy as np
import pytest

from benchmarks._common import Report

# For each benchmark: its heading, a column header line, and its ratio lines.
EXPECTED = {
    "reference": [
        "== reference: ",
        "problem         architecture     keras s  sklstm s  speedup",
        "speed ratio of totals (keras / sklstm): ",
        "median worst error (keras / sklstm): ",
    ],
    "realdata": [
        "== realdata: ",
        "series  trend  in->out  train/test  last MAE",
        "worst sklstm/ridge over all series: ",
        "worst sklstm/best baseline over all series: ",
        "median sklstm/best baseline over all series: ",
        "worst sklstm/ForecasterRnn over all series: ",
    ],
    "competitions": [
        "== competitions: ",
        "set                series, h, windows  metric  seasonal naive",
        "M3 other: sklstm ",
        "Tourism quarterly: sklstm ",
        "published, M3 other: Theta 4.41 ",
    ],
    "covariates": [
        "== covariates: ",
        "series     train/test, in->out/stride  naive  RidgeCV  RidgeCV + cov.",
        "insurance: sklstm+cov ",
    ],
    "intervals": [
        "== intervals: ",
        "series  fit/cal/test  level  sklstm cover  sklstm width  sklstm score",
        "-- fixed --",
        "-- adaptive --",
        "-- recalibrated --",
        "sklstm, fixed: worst coverage deviation (series with >= 40 ",
        "sklstm, adaptive: worst coverage deviation ",
        "median sklstm/best interval score at 80%, recalibrated: ",
        "median sklstm/best interval score at 95%, adaptive: ",
        "-- coverage noise: a perfectly specified forecaster on the same windows --",
        "oracle (AR coefficient 0.0) meets the target on every judged series ",
        "sklstm, adaptive: outside the oracle's 90% range on ",
    ],
    "large": [
        "== large: ",
        "fit s  final loss  baseline MB  peak MB  extra MB  extra / X",
        "sklstm defaults ",
        "speed ratio (keras / sklstm, same training): ",
        "peak memory ratio (keras / sklstm): ",
        "extra memory (keras / sklstm): ",
    ],
    "predict": [
        "== predict: ",
        "samples  repeats  keras ms  sklstm ms  speedup",
        "speed ratio for 1 sample (keras / sklstm): ",
        "speed ratio for 1,000 samples: ",
    ],
    "grid": [
        "== grid: ",
        "architecture  scikeras params  sklstm params  scikeras fit s  sklstm fit s",
        "same parameter count on both sides for all 5 architectures: yes",
        "scikeras: best_params_ {'model__architecture': ",
        "sklstm: best_params_ {'architecture': ",
        "speed ratio (scikeras / sklstm): ",
        "cross_validate, KFold(5), sklstm ",
        "fixed cost of a new configuration (fit 1 - fits 2-5): ",
    ],
    "soak": [
        "== soak: ",
        "engine  RSS before MB  RSS after MB  growth MB",
        "RSS growth over 2 fits: fused ",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_quick_mode_prints_its_table_and_ratios(name, capsys):
    # Each benchmark in this process (the suite runs them in parallel); the
    # distributed one runs in tests/test_distributed.py.
    module = importlib.import_module(f"benchmarks.{name}")
    report = Report("sklstm benchmarks")
    module.run(report, quick=True)
    text = capsys.readouterr().out
    for line in EXPECTED[name]:
        assert line in text, f"{name}: {line!r} missing"
    assert "target " in text  # its targets, each with a verdict
    assert f"## {name}: " in report.markdown()


def test_command_line_writes_the_report_quietly(tmp_path, capfd):
    # The command line, in this process (a fresh interpreter's quiet start-up
    # is tests/test_quiet.py's and tests/test_integration.py's): machine
    # header, the report as Markdown, and nothing on stderr (one quick
    # benchmark is enough).
    from benchmarks.__main__ import main

    out = tmp_path / "report.md"
    assert main(["--quick", "--only", "predict", "--out", str(out)]) == 0
    text, err = capfd.readouterr()
    assert err == ""
    assert "CPU: " in text and "tensorflow " in text and "mode: QUICK" in text
    for line in EXPECTED["predict"]:
        assert line in text
    markdown = out.read_text()
    assert markdown.startswith("# sklstm benchmarks")
    assert "| samples | repeats | keras ms | sklstm ms | speedup | max abs diff |" in (
        markdown
    )


def test_only_rejects_an_unknown_benchmark(capsys):
    from benchmarks.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["--only", "nope"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_predict_benchmark_fails_loudly_when_the_sides_disagree():
    import numpy as np

    from benchmarks.predict import check_same

    a = np.linspace(0, 300, 6).reshape(2, 3)
    assert check_same(a, a + 1e-3, 2) == pytest.approx(1e-3)
    with pytest.raises(RuntimeError, match="disagree by 17"):
        check_same(a, a + 17, 2)  # e.g. one side in the model's units
    with pytest.raises(RuntimeError, match="do not compute the same thing"):
        check_same(a, a[:, :, None], 2)


@pytest.mark.parametrize("phi", [0.0, 0.9])
def test_oracle_coverage_is_nominal_on_average_and_noisy_on_short_holdouts(phi):
    from benchmarks._coverage_noise import oracle_coverage

    levels = np.array([0.8, 0.95])
    short = oracle_coverage(30, 40, 4, levels, phi=phi, reps=400)
    long = oracle_coverage(30, 400, 4, levels, phi=phi, reps=400)
    for protocol in ("known", "fixed", "adaptive"):
        overall, per_step = short[protocol]
        assert per_step.shape[1:] == (2, 4)
        np.testing.assert_allclose(overall.mean(axis=0), levels, atol=0.02)
    if phi == 0.0:  # independent errors: split conformal keeps at least its level
        assert np.all(short["fixed"][0].mean(axis=0) >= levels - 0.005)
    # the true quantiles are no narrower in spread on 40 windows than on 400
    spread = {n: np.std(c["known"][0][:, 0]) for n, c in (("40", short), ("400", long))}
    assert spread["40"] > 2 * spread["400"]


@pytest.mark.parametrize(
    "n_in, horizon, period, lengths, expected",
    [
        (36, 24, 12, [67] + [300] * 9, (36, 48, 60)),  # a season apart
        (8, 8, 1, [63, 63, 96], (8, 16, 24)),  # no season: a horizon apart
        (6, 4, 1, [7, 12, 23], (6,)),  # the shortest series limits them
        (8, 6, 1, [14, 19, 41], (8,)),  # half the validation parts must hold them
        (24, 18, 12, [48] * 2 + [126] * 8, (24,)),  # 90% must give a window
    ],
)
def test_competitions_try_longer_inputs_only_where_the_series_hold_them(
    n_in, horizon, period, lengths, expected
):
    from benchmarks._competitions_choices import input_lengths

    train = [np.zeros(n) for n in lengths]
    assert input_lengths(n_in, horizon, period, train) == expected


@pytest.mark.parametrize("level", [None, 0.3])
def test_competitions_validated_forecast_averages_the_second_member(level):
    from benchmarks._competitions_choices import SETTINGS, validated_sklstm

    rng = np.random.default_rng(0)
    series = {k: 10 + k + rng.normal(size=30).cumsum() ** 2 / 9 for k in range(3)}
    params = dict(units=4, epochs=1, batch_size=32, random_state=0)
    one = {"n_steps_in": 4, "sklstm": (SETTINGS[0], None, level), "second": None}
    alone, line = validated_sklstm(params, one, 2)(series)
    second = {"n_steps_in": 6, "sklstm": (SETTINGS[3], 4.0, None), "second": None}
    other = validated_sklstm(params, second, 2)(series)[0]
    two = dict(one, second=(6, SETTINGS[3], 4.0, 0.0))  # another input length
    pair, line = validated_sklstm(params, two, 2)(series)
    assert alone.shape == pair.shape == (3, 2) and np.all(np.isfinite(pair))
    np.testing.assert_allclose(pair, (alone + other) / 2, rtol=1e-5)
    assert "left out" not in line and "0 s predicted" in line
    slow = dict(one, second=(6, SETTINGS[3], 4.0, 1e6))  # predicted past the limit
    left_out, line = validated_sklstm(params, slow, 2)(series)
    np.testing.assert_allclose(left_out, alone, rtol=1e-5)
    assert "second left out" in line and "> 600 s" in line


@pytest.mark.parametrize(
    "origin, actual, before",
    [(1, [[8, 9], [3, 4]], [8, 3]), (2, [[6, 7]], [6])],  # the 5 steps sit out
)
def test_competitions_validation_origins_hold_out_one_horizon(origin, actual, before):
    from benchmarks._competitions_choices import _validation_panel

    train = [np.arange(10.0), np.arange(5.0)]
    held_out, series = _validation_panel(train, 3, 2, origin=origin)
    np.testing.assert_array_equal(held_out, actual)
    assert [len(x) for x in series.values()] == before
    for x, y in zip(series.values(), held_out):  # the held-out part follows
        assert y[0] == x[-1] + 1


@pytest.mark.parametrize("first_score, expected", [(10.0, (2, 0)), (0.0, None)])
def test_competitions_second_member_pairs_across_inputs(first_score, expected):
    from benchmarks._competitions_choices import SETTINGS, _second

    actual = np.array([[30.0, 31.0], [25.0, 26.0]])
    net = {(0, None): 1.0, (1, None): 2.0, (2, None): 3.0}  # setting 0 first
    fitted = {(4, k, None): (actual * f, 0.5) for k, f in ((1, 0.95), (2, 1.2))}
    at_own = {0: 0.9, 1: 1.3, 2: 1.3}  # setting 0 at 2 steps: the exact mean

    def fit_own(k, hl):
        return actual * at_own[k], 2.0  # seconds per window

    first = (4, 0, first_score, actual * 1.1)  # input, setting, score, forecast
    second, line = _second("sMAPE", actual, first, net, fitted, fit_own, 2)
    assert "mean with mse/ridge, None, input 2 0.00" in line
    if expected is None:  # the first alone scores no worse
        assert second is None
    else:  # with its seconds per window
        assert second == (2, SETTINGS[0], None, 2.0)
