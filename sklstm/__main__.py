"""Command line: ``python -m sklstm tutorial`` (also installed as ``sklstm``)."""

import argparse
import sys
import time

from joblib import Parallel, delayed

from .datasets import REFERENCE_PROBLEMS

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="sklstm", description="sklstm: LSTM sequence regression for scikit-learn."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    tut = sub.add_parser(
        "tutorial",
        help="run the ten reference experiments and print a table",
        description="Fit the ten reference experiments of the classic Keras LSTM "
        "tutorial as LSTMSeqRegressor estimators, twice: the network alone as "
        "the tutorial trains it, and sklstm's defaults; compare both "
        "predictions with the expected answers and the tutorial's printed ones.",
    )
    tut.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="epochs per fit of both columns (default: 1000 for the network "
        "alone, sklstm's 100 for the defaults)",
    )
    tut.add_argument(
        "--seed", type=int, default=0, help="(first) random_state (default: 0)"
    )
    tut.add_argument(
        "--seeds",
        type=int,
        default=1,
        help="fit every experiment with this many seeds (--seed, --seed+1, ...) "
        "and report the median and worst error (default: 1)",
    )
    tut.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="fit in this many processes at once (default: 1)",
    )
    tut.add_argument(
        "--only",
        choices=REFERENCE_PROBLEMS,
        help="run only the experiments of this problem",
    )
    return parser


def _fit(problem, arch, seed, name, overrides):
    """One fit of ``sklstm tutorial``: experiment, seed and column."""
    from ._tutorial import SETTINGS, run_experiment

    result = run_experiment(
        problem, arch, seed=seed, settings=SETTINGS[name], **overrides
    )
    print(f"  fitted {problem} / {arch} / seed {seed} / {name}", file=sys.stderr)
    return result


def main(argv=None):
    """Run the command line interface.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; None reads ``sys.argv``.

    Returns
    -------
    status : int
        Exit status, 0 on success.
    """
    args = _parser().parse_args(argv)
    from ._tutorial import (
        EXPERIMENTS,
        SETTINGS,
        format_seed_table,
        format_table,
    )

    if min(1 if args.epochs is None else args.epochs, args.seeds, args.jobs) < 1:
        print(
            "sklstm: --epochs, --seeds and --jobs must be at least 1", file=sys.stderr
        )
        return 2
    overrides = {} if args.epochs is None else {"epochs": args.epochs}
    experiments = [e for e in EXPERIMENTS if args.only in (None, e[0])]
    seeds = range(args.seed, args.seed + args.seeds)
    fits = [
        (problem, arch, seed, name)
        for problem, arch in experiments
        for seed in seeds
        for name in SETTINGS
    ]
    start = time.perf_counter()
    # Processes, not threads: most of a short fit is tracing its graph, which
    # holds the GIL. Each process imports TensorFlow once.
    done = Parallel(n_jobs=args.jobs)(delayed(_fit)(*fit, overrides) for fit in fits)
    results = {name: [] for name in SETTINGS}
    for (*_, name), result in zip(fits, done):
        results[name].append(result)
    print(format_table(results) if args.seeds == 1 else format_seed_table(results))
    epochs = "1000 and 100" if args.epochs is None else str(args.epochs)
    n_fits = sum(map(len, results.values()))
    print(
        "\nnetwork alone: the tutorial's training (adam, mse, batch 3, "
        "validation_split=0.2, relu; no early stopping, no linear path); "
        "defaults: LSTMSeqRegressor's defaults (ridge regression plus the "
        "network, early stopping); err: worst absolute error at the test point; "
        f"tut. err: the tutorial's printed prediction's.\n{n_fits} fits "
        f"({epochs} epochs, seeds {seeds.start}..{seeds.stop - 1}, {args.jobs} "
        "at once): "
        f"{time.perf_counter() - start:.1f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
