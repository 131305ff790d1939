"""``python -m kit build``: execute the lessons and write offline HTML handouts.

    python -m kit build                      # every notebook in notebooks/ -> site/
    python -m kit build --out DIR NOTEBOOK   # some notebooks, elsewhere
    python -m kit build --pdf                # also print each handout to PDF (headless Chromium)
    python -m kit build --teacher            # the teacher's edition -> site-teacher/ (never into site/)

See :func:`kit.site.build.build`.
"""

from __future__ import annotations

from pathlib import Path

from ..site.build import CACHE_ENV, build

HELP = ("Execute the lessons and write offline HTML handouts and worksheets to site/ "
        "(--teacher: the teacher's edition to site-teacher/).")


def add_arguments(parser):
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebooks to build (default: every notebook in notebooks/)")
    parser.add_argument("--out", default=None, help="output folder (default: site/, or site-teacher/ with --teacher)")
    parser.add_argument("--teacher", action="store_true",
                        help="write the teacher's edition (teacher's pages, with the student pages under student/)")
    parser.add_argument("--pdf", action="store_true", help="also print each handout to PDF with headless Chromium")
    parser.add_argument("--jobs", "-j", type=int, default=0, help="kernels in parallel (default: number of cores)")
    parser.add_argument("--force", action="store_true", help="execute every notebook again, ignoring the cache")
    parser.add_argument("--cache-dir", default=None, help=f"execution cache (default: .kit-cache/, or ${CACHE_ENV})")
    parser.add_argument("--timeout", type=int, default=300, help="seconds a cell may run (default: 300)")


def run(args) -> int:
    build(
        [Path(p) for p in args.notebooks],
        out=Path(args.out) if args.out else None,
        pdf=args.pdf,
        jobs=args.jobs,
        force=args.force,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        timeout=args.timeout,
        teacher=args.teacher,
    )
    return 0
