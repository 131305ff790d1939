"""``python -m kit grade SUBMISSIONS_DIR``: grade a class's notebooks without trusting them.

    python -m kit grade submitted/              # writes grades/grades.csv and grades/feedback/<student>.html
    python -m kit grade submitted/ --out week3 --cell-timeout 20 --jobs 2
    python -m kit grade submitted/ --resume     # after a stopped run: keeps the journalled notebooks
    python -m kit grade submitted/ --no-sandbox # no bubblewrap (inside the documented container only)

See :func:`kit.exercises.grade.grade`.
"""

from __future__ import annotations

from pathlib import Path

from ..exercises.grade import DEFAULT_OUT, grade
from ..exercises.sandbox import Limits

HELP = "Grade submitted exercise notebooks, each in its own sandbox, into grades.csv and feedback pages."


def add_arguments(parser):
    parser.add_argument("submissions", type=Path, metavar="SUBMISSIONS_DIR",
                        help="one folder per student: SUBMISSIONS_DIR/<student>/<exercise>.ipynb")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write grades.csv and feedback/ (default: grades/)")
    parser.add_argument("--exercises", type=Path, default=None, help="source notebooks (default: exercises/)")
    parser.add_argument("--jobs", type=int, default=None, help="kernels at once (default: number of cores)")
    parser.add_argument("--cell-timeout", type=float, default=Limits.cell_timeout, help="seconds per cell (default: 30)")
    parser.add_argument("--notebook-timeout", type=float, default=Limits.notebook_timeout,
                        help="seconds per notebook (default: 300)")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb, help="memory limit per kernel (default: 4096; 0 = none)")
    parser.add_argument("--close-credit", type=float, default=0.5,
                        help="share of a question's points for a 'close but rounded differently' answer (default: 0.5)")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run notebooks without bubblewrap (prints what is then unprotected; for the README's container)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the perturbed copy of the data for the second run (default: random; recorded)")
    parser.add_argument("--roster", type=Path, default=None,
                        help="CSV with the header folder,student_id: adds a student_id column and lists folders "
                             "and roster rows that do not match")
    parser.add_argument("--resume", action="store_true",
                        help="continue a stopped run from OUT/journal.jsonl (same seed; changed notebooks are graded again)")


def run(args) -> int:
    limits = Limits(cell_timeout=args.cell_timeout, notebook_timeout=args.notebook_timeout,
                    memory_mb=args.memory_mb or None)
    results = grade(args.submissions, args.out, args.exercises, jobs=args.jobs, limits=limits,
                    close_credit=args.close_credit, sandbox=not args.no_sandbox, resume=args.resume,
                    seed=args.seed, roster=args.roster)
    print(f"graded {sum(1 for g in results if 'no submission' not in g.notes)} notebook(s); see {args.out}/grades.csv")
    return 0
