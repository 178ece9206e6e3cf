"""What every benchmark shares: the report, the machine's description, timing."""

import contextlib
import importlib
import io
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = [
    "Report",
    "child_output",
    "describe_machine",
    "estimator_seeds",
    "median_seconds",
    "ratio",
    "verdict",
]


def _is_number(cell):
    return cell[:1].isdigit() or (cell[:1] in "+-" and cell[1:2].isdigit())


class Report:
    """Print a report as it is made, and keep it to write as Markdown.

    Headings, text lines and tables go to standard output straight away
    (plain text, tables aligned); :meth:`markdown` returns the same report
    with Markdown headings and pipe tables.
    """

    def __init__(self, title):
        self._md = [f"# {title}", ""]
        print(title, flush=True)

    def heading(self, title):
        print(f"\n== {title} ==\n", flush=True)
        self._md += [f"## {title}", ""]

    def text(self, line):
        print(line, flush=True)
        self._md += [line, ""]

    def table(self, header, rows):
        rows = [[str(cell) for cell in row] for row in rows]
        widths = [max(len(cell) for cell in col) for col in zip(header, *rows)]

        def fmt(row):
            cells = [
                cell.rjust(w) if _is_number(cell) else cell.ljust(w)
                for cell, w in zip(row, widths)
            ]
            return "  ".join(cells).rstrip()

        lines = [fmt(header), "  ".join("-" * w for w in widths)]
        print("\n".join(lines + [fmt(row) for row in rows]) + "\n", flush=True)
        self._md.append("| " + " | ".join(header) + " |")
        self._md.append("|" + "|".join("---" for _ in header) + "|")
        self._md += ["| " + " | ".join(row) + " |" for row in rows]
        self._md.append("")

    def markdown(self):
        return "\n".join(self._md)


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def describe_machine(report, quick):
    """Write the machine and the library versions at the top of the report."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    packages = ("tensorflow", "keras", "scikit-learn", "scikeras", "numpy", "sklstm")
    versions = ", ".join(f"{name} {_version(name)}" for name in packages)
    report.heading("machine")
    report.text(f"CPU: {_cpu_model()}; {os.cpu_count()} cores ({usable} usable)")
    report.text(f"load average (1, 5, 15 min) at start: {load}")
    report.text(f"Python {platform.python_version()} on {sys.platform}; {versions}")
    mode = "QUICK (smoke test: tiny settings, the numbers mean nothing)"
    report.text(f"mode: {mode if quick else 'full'}")


def estimator_seeds(random_state):
    """The (build, shuffle) seeds ``LSTMSeqRegressor`` derives from an int seed.

    Building the Keras side's model with the build seed gives it the same
    initial weights as the estimator's.
    """
    rng = np.random.RandomState(random_state)
    return tuple(int(s) for s in rng.randint(2**31 - 1, size=2))


def median_seconds(fn, repeats):
    """Median wall time of ``repeats`` calls of ``fn()``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def installed(name):
    """Whether the package ``name`` can be imported (a ``bench`` extra)."""
    from importlib.util import find_spec

    return find_spec(name) is not None


def left_out(report, name):
    """Say so, and return True, when the ``bench`` extra ``name`` is missing."""
    if installed(name):
        return False
    report.text(f"left out: {name} is not installed (pip install -e '.[bench]').")
    report.text("target not measured")
    return True


def ratio(slow, fast):
    """``slow / fast`` formatted as "0.97x" or "12.3x"."""
    if fast <= 0:
        return "inf"
    value = slow / fast
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def verdict(met, quick):
    """ "MET" or "NOT MET"; in quick mode, a reminder that it means nothing."""
    word = "MET" if met else "NOT MET"
    return f"{word} (quick mode: not meaningful)" if quick else word


def child_output(module, args, *, isolated):
    """What ``python -m benchmarks.MODULE ARGS`` prints on standard output.

    ``isolated=True`` runs it in a fresh subprocess (a clean memory
    measure); ``isolated=False``, for the quick modes, whose numbers mean
    nothing, runs the module's ``main(args)`` in this process instead: the
    same argument parsing and output, without a second TensorFlow start-up.
    """
    if isolated:
        cmd = [sys.executable, "-m", f"benchmarks.{module}", *args]
        root = Path(__file__).resolve().parent.parent
        done = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr}")
        return done.stdout
    main = importlib.import_module(f"benchmarks.{module}").main
    with contextlib.redirect_stdout(io.StringIO()) as buffer:
        main(args)
    return buffer.getvalue()
