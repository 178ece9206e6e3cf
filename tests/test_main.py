import runpy
import sys

import pytest

from sklstm.__main__ import main


def test_tutorial_command_prints_one_row_per_experiment(capsys):
    assert main(["tutorial", "--epochs", "2", "--only", "one_to_many_1"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("one_to_many_1")]
    assert [r.split()[1] for r in rows] == ["simple", "stacked", "bidirectional"]
    assert "[11.00, 12.00]" in rows[0]  # the expected answer
    assert "[10.98, 12.11]" in rows[0]  # the tutorial's printed prediction
    header = out.splitlines()[0]
    assert "network alone" in header and "defaults" in header


def _run_module(monkeypatch, *args):
    """``python -m sklstm ARGS``, in this process: its exit status."""
    monkeypatch.setattr(sys, "argv", ["sklstm", *args])
    # A fresh copy of the module, as the interpreter would run it.
    monkeypatch.delitem(sys.modules, "sklstm.__main__", raising=False)
    with pytest.raises(SystemExit) as exit_:
        runpy.run_module("sklstm", run_name="__main__", alter_sys=True)
    return exit_.value.code


def test_module_entry_point_runs_and_rejects_bad_arguments(monkeypatch, capsys):
    args = ["tutorial", "--epochs", "1", "--only", "many_to_many_2"]
    assert _run_module(monkeypatch, *args) == 0
    assert capsys.readouterr().out.count("many_to_many_2") == 2
    assert _run_module(monkeypatch, "tutorial", "--only", "nope") == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option, value", [("--epochs", "0"), ("--epochs", "-3"), ("--jobs", "0")]
)
def test_non_positive_counts_are_an_error(option, value, capsys):
    assert main(["tutorial", option, value]) == 2
    assert "--epochs, --seeds and --jobs must be at least 1" in capsys.readouterr().err


def test_several_seeds_report_median_and_worst_error(capsys):
    argv = ["tutorial", "--epochs", "5", "--only", "one_to_many_2", "--seeds", "2"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "network alone median" in out and "defaults median" in out
    rows = [line.split() for line in out.splitlines() if line.startswith("one_to")]
    assert [r[1] for r in rows] == ["simple", "stacked", "bidirectional"]
    for r in rows:  # seeds, tut. err, then (median, worst, <=tut., s) twice
        assert r[2] == "2" and float(r[4]) <= float(r[5])
        assert float(r[8]) <= float(r[9])
        # one step of two features, each continuing its own: the network
        # alone beats the tutorial's error within 5 epochs (read as two steps
        # of one feature, the stacked one missed it after 1000)
        assert r[6] == "yes", r
