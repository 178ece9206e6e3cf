"""soak: many consecutive small fits in one process must not leak memory.

GridSearchCV fits hundreds of models in one process. This script fits
``--fits`` small models (200 by default; cycling through the five
architectures, as a grid search would) and reports the resident set size
(RSS) before and after, and along the way. Target: under 100 MB growth after
200 fits, with either engine. In ``python -m benchmarks`` each engine runs
in a fresh subprocess (in its quick mode, both in the calling process).

Run: ``python -m benchmarks.soak [--fits N] [--engine keras]``.
"""

import argparse
import gc
import re
import sys

import numpy as np

import sklstm  # noqa: F401  (quiet TensorFlow import first)
from sklstm import LSTMSeqRegressor
from sklstm._model.builders import ARCHITECTURES

from ._common import child_output, verdict

TITLE = "soak: RSS growth over many fits in one process"
TARGET_MB = 100.0


def rss_mb():
    """Current resident set size of this process, in MB (Linux /proc)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found in /proc/self/status")


def soak(n_fits, report_every=25, engine="fused", architectures=ARCHITECTURES):
    """Fit ``n_fits`` small models; return the RSS (MB) after warm-up and after."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(24, 4, 2)), rng.normal(size=(24, 3))

    def fit(i):
        arch = architectures[i % len(architectures)]
        est = LSTMSeqRegressor(
            architecture=arch, units=8, epochs=3, random_state=i, engine=engine
        )
        est.fit(X, y).predict(X)

    for i in range(len(architectures)):  # warm-up: TF's one-off allocations
        fit(i)
    gc.collect()
    before = rss_mb()
    print(f"after {len(architectures)} warm-up fits: RSS {before:.0f} MB", flush=True)
    for i in range(n_fits):
        fit(i)
        if (i + 1) % report_every == 0:
            gc.collect()
            print(f"after {i + 1:4d} fits: RSS {rss_mb():.0f} MB", flush=True)
    gc.collect()
    return before, rss_mb()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=200)
    parser.add_argument("--engine", choices=("fused", "keras"), default="fused")
    parser.add_argument(
        "--architectures",
        type=int,
        default=len(ARCHITECTURES),
        metavar="N",
        help="cycle through the first N architectures (default: all five)",
    )
    args = parser.parse_args(argv)
    architectures = ARCHITECTURES[: args.architectures]
    before, after = soak(args.fits, engine=args.engine, architectures=architectures)
    growth = after - before
    met = "MET" if growth < TARGET_MB else "NOT MET"
    print(
        f"\n{args.fits} fits: RSS {before:.0f} MB -> {after:.0f} MB, growth "
        f"{growth:.0f} MB (target < {TARGET_MB:.0f} MB: {met})"
    )
    return 0


def run(report, quick=False):
    """Both engines, each in a fresh process: RSS growth over the fits."""
    n_fits, n_arch = (2, 1) if quick else (200, len(ARCHITECTURES))
    report.heading(TITLE)
    report.text(
        f"{n_fits} fits (after {n_arch} warm-up fits) cycling the first "
        f"{n_arch} architectures, "
        "8 units, 3 epochs, X (24, 4, 2), fit + predict; each engine in its own "
        "process (quick mode: this one)."
    )
    rows, growths = [], {}
    for engine in ("fused", "keras"):
        args = ["--fits", str(n_fits), "--architectures", str(n_arch)]
        args += ["--engine", engine]
        out = child_output("soak", args, isolated=not quick)
        match = re.search(r"RSS (\d+) MB -> (\d+) MB, growth (-?\d+) MB", out)
        before, after, growth = (int(g) for g in match.groups())
        growths[engine] = growth
        rows.append([engine, f"{before}", f"{after}", f"{growth}"])
    report.table(["engine", "RSS before MB", "RSS after MB", "growth MB"], rows)
    met = all(g < TARGET_MB for g in growths.values())
    report.text(
        f"RSS growth over {n_fits} fits: fused {growths['fused']} MB, keras "
        f"{growths['keras']} MB -- target < {TARGET_MB:.0f} MB: "
        f"{verdict(met, quick)}"
    )


if __name__ == "__main__":
    sys.exit(main())
