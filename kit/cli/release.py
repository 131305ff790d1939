"""``python -m kit release``: student, solutions and instructor copies of every exercise.

    python -m kit release                 # writes release/student, solutions, instructor and bundle
    python -m kit release --out handout-week3 01_spending_targets
    python -m kit release --nbgrader course/  # also course/source/<exercise>/ for nbgrader

See :func:`kit.exercises.release.release`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..exercises.cells import EXERCISES
from ..exercises.release import DEFAULT_OUT, release

HELP = "Write student, solutions and instructor copies of the exercises (solutions removed, checks hashed)."


def add_arguments(parser):
    parser.add_argument("names", nargs="*", metavar="EXERCISE", help="only these exercises (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: release/)")
    parser.add_argument("--exercises", type=Path, default=EXERCISES, help="source notebooks (default: exercises/)")
    parser.add_argument("--jobs", type=int, default=None, help="kernels at once (default: number of cores)")
    parser.add_argument("--nbgrader", type=Path, default=None, metavar="DIR",
                        help="also write an nbgrader course's source/ (and nbgrader_config.py if absent) in DIR")


def run(args) -> int:
    written = release(args.exercises, args.out, args.names, jobs=args.jobs, nbgrader=args.nbgrader)
    print(f"wrote {len(written)} exercise(s) to {args.out}/ (student/, solutions/, instructor/, bundle/); "
          "the student copies and the bundle were scanned: no solution or expected value in them", file=sys.stderr)
    return 0
