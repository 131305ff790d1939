"""``python -m kit check-data [DIR]``: check a data folder against its ``datapackage.json``.

    python -m kit check-data path/to/my-data                   # one line per problem
    python -m kit check-data path/to/my-data --strict          # also fail on overdue datasets
    python -m kit check-data path/to/my-data --update-hashes   # once it passes: record the files

Exit status 1 when a problem is found (or, with ``--strict``, a dataset is past its review
date). The checks are :func:`kit.data.validate.check_package`, with frictionless checking the
Table Schema (``kit.load`` runs the kit's own, faster checks; a test keeps the two in agreement).
"""

from __future__ import annotations

from ..data import freshness, package
from ..data.validate import check_package, update_hashes

HELP = "Check every dataset against datapackage.json (types, ranges, keys, sources, cross-table rules)."


def add_arguments(parser):
    parser.add_argument("folder", nargs="?", help="data folder (default: $KIT_DATA_DIR or the kit's data/)")
    parser.add_argument("--update-hashes", action="store_true",
                        help="after the checks pass, record the files' SHA-256 in datapackage.json")
    parser.add_argument("--strict", action="store_true",
                        help="also fail (exit 1) when a dataset is past its review_by date")


def overdue_lines(folder) -> list[str]:
    """One line per dataset past its review date (today: the clock, or $KIT_TODAY)."""
    resources = package.resources(folder)
    return [f"overdue: {name}: as of {resources[name].get('as_of')}, review by {resources[name].get('review_by')}"
            + (f"; newer edition not yet read: {resources[name]['superseded_by']}" if resources[name].get("superseded_by") else "")
            for name in freshness.overdue(folder)]


def run(args) -> int:
    problems = check_package(args.folder, hashes=not args.update_hashes)
    folder = package.data_dir(args.folder)
    for p in problems:
        print(p)
    count = len(package.resources(folder))
    late = overdue_lines(folder)
    for line in late:
        print(line)
    if late:
        print(f"{len(late)} dataset(s) due for review (past their review date, or a newer edition exists; today is {freshness.today().isoformat()}): "
              f"{freshness.HOW_TO_UPDATE}.")
    if problems:
        print(f"{len(problems)} problem(s) in {folder}.")
        return 1
    if late and args.strict:
        print("--strict: failing because of the overdue datasets above.")
        return 1
    if args.update_hashes:
        changed = update_hashes(folder)
        print(f"All {count} datasets pass; recorded hashes for {changed} changed file(s).")
    else:
        print(f"All {count} datasets in {folder} pass their checks.")
    return 0
