"""The kit's own errors: one clear message, never a raw traceback for a student."""


def listing(header: str, problems, limit: int | None = None) -> str:
    """A message that lists problems, one per line, under a header.

    >>> print(listing("The release stopped", ["cell 3: no id", "cell 5: no id"]))
    The release stopped:
      - cell 3: no id
      - cell 5: no id
    """
    problems = list(problems)
    return f"{header}:\n" + "\n".join(f"  - {p}" for p in problems[:limit])


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
        count = len(self.problems)
        text = listing(f"{header} ({count} problem{'s' if count != 1 else ''})", self.problems, limit=20)
        if count > 20:
            text += f"\n  ... and {count - 20} more (run `python -m kit check-data` to see them all)"
        super().__init__(text)


class UnknownDatasetError(KitError, KeyError):
    """A dataset name that is not in ``datapackage.json``."""

    def __str__(self):  # KeyError would quote the message
        return self.args[0]
