"""Command line: ``python -m sklstm tutorial`` (also installed as ``sklstm``)."""

import argparse
import sys
import time

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
        "tutorial as LSTMSeqRegressor estimators and compare their predictions "
        "with the expected answers and the tutorial's printed ones.",
    )
    tut.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="epochs per fit (default: 1000)",
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
        "--recipe",
        action="store_true",
        help="use the recommended recipe instead of the reference settings",
    )
    tut.add_argument(
        "--only",
        choices=REFERENCE_PROBLEMS,
        help="run only the experiments of this problem",
    )
    return parser


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
        RECIPE,
        REFERENCE_SETTINGS,
        format_seed_table,
        format_table,
        run_experiment,
    )

    settings = dict(RECIPE if args.recipe else REFERENCE_SETTINGS)
    if args.epochs is not None:
        settings["epochs"] = args.epochs
    if settings["epochs"] < 1 or args.seeds < 1:
        print("sklstm: --epochs and --seeds must be at least 1", file=sys.stderr)
        return 2
    experiments = [e for e in EXPERIMENTS if args.only in (None, e[0])]
    seeds = range(args.seed, args.seed + args.seeds)
    start = time.perf_counter()
    results = []
    for problem, arch in experiments:
        for seed in seeds:
            results.append(run_experiment(problem, arch, seed=seed, **settings))
            print(f"  fitted {problem} / {arch} / seed {seed}", file=sys.stderr)
    print(format_table(results) if args.seeds == 1 else format_seed_table(results))
    name = "recipe" if args.recipe else "reference settings"
    print(
        f"\n{len(results)} fits ({name}, {settings['epochs']} epochs, seeds "
        f"{seeds.start}..{seeds.stop - 1}): {time.perf_counter() - start:.1f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
