"""Soak test: many consecutive small fits in one process must not leak memory.

GridSearchCV fits hundreds of models in one process. This script fits
``--fits`` small models (200 by default; cycling through the five
architectures, as a grid search would) and reports the resident set size
(RSS) before and after, and along the way. Target: under 100 MB growth after
200 fits.

Run: ``python -m benchmarks.soak [--fits N]``.
"""

import argparse
import gc
import sys

import numpy as np

import sklstm  # noqa: F401  (quiet TensorFlow import first)
from sklstm import LSTMSeqRegressor
from sklstm._builders import ARCHITECTURES

TARGET_MB = 100.0


def rss_mb():
    """Current resident set size of this process, in MB (Linux /proc)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS not found in /proc/self/status")


def soak(n_fits, report_every=25):
    """Fit ``n_fits`` small models; return the RSS (MB) after warm-up and after."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(24, 4, 2)), rng.normal(size=(24, 3))

    def fit(i):
        arch = ARCHITECTURES[i % len(ARCHITECTURES)]
        est = LSTMSeqRegressor(architecture=arch, units=8, epochs=3, random_state=i)
        est.fit(X, y).predict(X)

    for i in range(len(ARCHITECTURES)):  # warm-up: TF's one-off allocations
        fit(i)
    gc.collect()
    before = rss_mb()
    print(f"after {len(ARCHITECTURES)} warm-up fits: RSS {before:.0f} MB", flush=True)
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
    args = parser.parse_args(argv)
    before, after = soak(args.fits)
    growth = after - before
    met = "MET" if growth < TARGET_MB else "NOT MET"
    print(
        f"\n{args.fits} fits: RSS {before:.0f} MB -> {after:.0f} MB, growth "
        f"{growth:.0f} MB (target < {TARGET_MB:.0f} MB: {met})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
