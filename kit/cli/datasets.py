"""``python -m kit datasets``: list the datasets, or (``--readme``) rewrite the README's dataset table.

See :mod:`kit.data.catalog`.
"""

from __future__ import annotations

HELP = "List the datasets with their sources and dates (--readme rewrites the README's table)."


def add_arguments(parser):
    parser.add_argument("--readme", action="store_true", help="rewrite the dataset table in README.md")


def run(args) -> int:
    from ..data.catalog import markdown_table, rewrite_readme

    if args.readme:
        print("README.md updated" if rewrite_readme() else "README.md already up to date")
        return 0
    print(markdown_table())
    return 0
