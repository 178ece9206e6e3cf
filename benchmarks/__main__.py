"""Command line: ``python -m benchmarks [--quick] [--only NAME] [--out FILE]``."""

import argparse
import importlib
import sys
import time
from pathlib import Path

import sklstm  # noqa: F401  (before TensorFlow: keeps its start-up noise quiet)

from . import BENCHMARKS
from ._common import Report, describe_machine


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Side-by-side benchmarks of sklstm against plain Keras and "
        "SciKeras. The full run takes half an hour or more; --quick is a smoke "
        "test that only checks that everything runs.",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny settings: a smoke test"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable); one of {', '.join(BENCHMARKS)}",
    )
    parser.add_argument(
        "--out", type=Path, help="also write the report as Markdown to this file"
    )
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    names = [name for name in BENCHMARKS if name in (args.only or BENCHMARKS)]
    start = time.perf_counter()
    report = Report("sklstm benchmarks")
    describe_machine(report, args.quick)
    for name in names:
        module = importlib.import_module(f".{name}", __package__)
        module.run(report, quick=args.quick)
    print()
    report.text(f"all done in {time.perf_counter() - start:.0f} s")
    if args.out is not None:
        args.out.write_text(report.markdown() + "\n")
        print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
