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
        "--epochs", type=int, default=1000, help="epochs per fit (default: 1000)"
    )
    tut.add_argument("--seed", type=int, default=0, help="random_state (default: 0)")
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
    from ._tutorial import EXPERIMENTS, format_table, run_experiment

    if args.epochs < 1:
        print("sklstm: --epochs must be at least 1", file=sys.stderr)
        return 2
    experiments = [e for e in EXPERIMENTS if args.only in (None, e[0])]
    start = time.perf_counter()
    results = []
    for problem, arch in experiments:
        results.append(
            run_experiment(problem, arch, seed=args.seed, epochs=args.epochs)
        )
        print(f"  fitted {problem} / {arch}", file=sys.stderr, flush=True)
    print(format_table(results))
    print(
        f"\n{len(results)} experiments, {args.epochs} epochs each, seed "
        f"{args.seed}: {time.perf_counter() - start:.1f} s in total."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
