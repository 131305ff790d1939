"""The kit's own errors: one clear message, never a raw traceback for a student."""


class KitError(Exception):
    """Base class for every error the kit raises on purpose.

    The command line prints the message alone (no traceback) and exits with status 1.
    """


class DataError(KitError):
    """The data folder does not match its ``datapackage.json``.

    ``problems`` holds one line per problem, each naming the file, row, column,
    the bad value and what was expected.
    """

    def __init__(self, problems, header="The data does not pass its checks"):
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        lines = [f"{header} ({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}):"]
        lines += [f"  - {p}" for p in shown]
        if more:
            lines.append(f"  ... and {more} more (run `python -m kit check-data` to see them all)")
        super().__init__("\n".join(lines))


class UnknownDatasetError(KitError, KeyError):
    """A dataset name that is not in ``datapackage.json``."""

    def __str__(self):  # KeyError would quote the message
        return self.args[0]
