"""``python -m kit bench [NAME ...]``: the kit's benchmarks, each printing its numbers.

    python -m kit bench                       # all of them
    python -m kit bench handouts              # one (see kit.site.bench)
    python -m kit bench grading --copies 10   # see kit.exercises.bench

Exit status 1 when a benchmark misses one of its targets. Add a benchmark with a function
``name(args) -> list of missed targets`` and a line in ``BENCHMARKS``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import KitError

HELP = "Run the kit's benchmarks (handouts, grading, notebooks) and print the numbers; exit 1 if a target is missed."


def handouts(args) -> list[str]:
    from ..site.bench import handouts

    return handouts(args.notebooks, keep=Path(args.keep) if args.keep else None)


def grading(args) -> list[str]:
    from ..exercises.bench import bench

    return bench(copies=args.copies)["missed"]


def notebooks(args) -> list[str]:
    from ..exercises.notebook_bench import bench

    return bench()["missed"]


BENCHMARKS = {"handouts": handouts, "grading": grading, "notebooks": notebooks}


def add_arguments(parser):
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all: {', '.join(BENCHMARKS)})")
    parser.add_argument("--notebooks", nargs="*", default=None, help="handouts: notebooks to build (default: notebooks/*.ipynb)")
    parser.add_argument("--keep", default=None, help="handouts: keep the built site in this folder")
    parser.add_argument("--copies", type=int, default=int(os.environ.get("KIT_BENCH_COPIES", 30)),
                        help="grading: solved copies to grade (default: 30, or $KIT_BENCH_COPIES)")


def run(args) -> int:
    names = args.names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise KitError(f"no benchmark {', '.join(unknown)}; there are: {', '.join(BENCHMARKS)}")
    missed = []
    for name in names:
        print(f"== {name}")
        missed += [f"{name}: {what}" for what in BENCHMARKS[name](args)]
    if missed:
        print(f"missed {len(missed)} target(s): {'; '.join(missed)}")
    return 1 if missed else 0
