"""One command line for the kit: ``python -m kit <command>`` (or the ``kit`` console script).

    python -m kit --help
    python -m kit check-data            # -> kit.cli.check_data
    python -m kit build notebooks/04_moldova.ipynb

Commands are declared in ``COMMANDS``, each implemented by a thin module of this package
that offers ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int`` and calls the
library (the library modules hold no command-line code). A command's module is imported
only when that command runs, so ``python -m kit check-data`` starts fast; ``--help``
imports them all to list them.

    >>> sorted(COMMANDS)
    ['bench', 'build', 'check-data', 'datasets', 'grade', 'release']
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import KitError

# command name -> module (imported when the command runs). Add a line here to add a command.
COMMANDS = {
    "check-data": "kit.cli.check_data",
    "datasets": "kit.cli.datasets",
    "build": "kit.cli.build",
    "bench": "kit.cli.bench",
    "release": "kit.cli.release",
    "grade": "kit.cli.grade",
}


def _parser(commands) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kit", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in commands.items():
        module = importlib.import_module(module_name)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_module=module)
    return parser


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = COMMANDS
    # import only the module of the command asked for (help lists them all)
    if argv and argv[0] in COMMANDS:
        commands = {argv[0]: COMMANDS[argv[0]]}
    parser = _parser(commands)
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args._module.run(args) or 0)
    except KitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
