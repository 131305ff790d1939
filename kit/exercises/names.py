"""Names and text from submissions, made safe to print, to put in a spreadsheet and to tell apart.

Folder names, notebook output and error details come from students. Before any of it is
printed or written:

- :func:`clean` drops escape sequences and control characters (``kit.terminal``);
- :func:`shown_name` shows a student's folder name with its invisible characters spelled out,
  so that two names that look the same can be told apart;
- :func:`csv_cell` neutralises text a spreadsheet would run as a formula, whatever delimiter
  it splits the file on (OWASP's advice: a leading apostrophe, and the cell quoted);
- :func:`lookalikes` finds names that differ only by invisible or look-alike characters;
- :func:`read_roster` and :func:`match_roster` map folder names to student ids.

    >>> clean("ana\\x1b]0;title\\x07\\x00")
    'ana'
    >>> shown_name("zz_solved\\u200b")
    'zz_solved<U+200B>'
    >>> csv_cell("=HYPERLINK(1)"), csv_cell("ana;=1+1"), csv_cell("Ana María")
    ("'=HYPERLINK(1)", "ana;'=1+1", 'Ana María')
    >>> lookalikes(["zz_solved", "zz_solved\\u200b", "ana", "\\u0430na"])
    [['ana', 'аna'], ['zz_solved', 'zz_solved\\u200b']]
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

from ..errors import KitError, listing
from ..terminal import strip_controls, strip_escapes

# Cyrillic and Greek letters drawn like Latin ones.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "і": "i", "ј": "j", "к": "k", "м": "m", "о": "o", "р": "p", "с": "c", "т": "t",
    "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "ı": "i",
    "А": "A", "В": "B", "Е": "E", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S",
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X",
})
# Characters that draw nothing but are not format characters (Unicode category Cf).
_INVISIBLE = set("\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def clean(text, keep_newlines: bool = False) -> str:
    """``text`` without escape sequences or control characters (line breaks kept if asked)."""
    return strip_controls(str(text), keep="\n" if keep_newlines else "")


def _invisible(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or (
        unicodedata.category(char) == "Zs" and char != " ")


def shown_name(name: str) -> str:
    """A folder name as printed: every control, invisible or unusual space spelled out as ``<U+XXXX>``."""
    return "".join(f"<U+{ord(c):04X}>" if _invisible(c) else c for c in str(name))   # escapes spelled out too


def fold(name: str) -> str:
    """What a name looks like: NFKC, without invisible characters, Cyrillic and Greek look-alikes made Latin.

    >>> fold("zz_solved\\u200b") == fold("zz_solved") == fold("zz_ѕοlved") == fold("ｚｚ_solved")
    True
    >>> fold("alice\\x1b[0m") == fold("alice"), shown_name("alice\\x1b[0m")
    (True, 'alice<U+001B>[0m')
    >>> fold("Ana") == fold("ana"), fold("María") == fold("Maria")
    (False, False)
    """
    text = unicodedata.normalize("NFKC", strip_escapes(str(name)))   # "alice\x1b[0m" looks like "alice"
    text = "".join(c for c in text if not _invisible(c))
    return unicodedata.normalize("NFC", text.translate(CONFUSABLES))


def lookalikes(names) -> list[list[str]]:
    """Groups of two or more different names that look the same (see :func:`fold`), sorted."""
    groups: dict = {}
    for name in dict.fromkeys(names):
        groups.setdefault(fold(name), []).append(name)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def lookalike_notes(names) -> dict[str, str]:
    """A note for each name that looks like another one: ``{name: "looks like ... "}``."""
    notes = {}
    for group in lookalikes(names):
        for name in group:
            others = ", ".join(shown_name(o) for o in group if o != name)
            notes[name] = (f"the folder name {shown_name(name)} looks like {others} "
                           "(it differs only by invisible or look-alike characters): check who is who")
    return notes


def csv_cell(text) -> str:
    """Text for a CSV cell that no spreadsheet runs as a formula, whatever it splits the line on.

    Control characters go (a tab or line break becomes a space); a cell, or any part of it
    after a ``,``, ``;``, ``:``, ``|`` or a space (the delimiters a spreadsheet may split on),
    that starts with ``=``, ``+``, ``-`` or ``@`` gets an apostrophe in front. Write the cells
    quoted (``csv.QUOTE_NONNUMERIC``).

    >>> csv_cell("a,-1+2"), csv_cell("a\\t=1"), csv_cell("-3 points"), csv_cell("@SUM(1)"), csv_cell("x|+1")
    ("a,'-1+2", "a '=1", "'-3 points", "'@SUM(1)", "x|'+1")
    """
    text = clean(text)
    text = re.sub(r"([,;:|\s]\s*)([=+\-@])", r"\1'\2", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


# ---- the roster ---------------------------------------------------------------------------------


def read_roster(path: Path) -> dict[str, str]:
    """``{folder: student_id}`` from a CSV file with the header ``folder,student_id``.

    Raises :class:`KitError` naming the roster file and row (row 1 is the header) for a
    missing header, an empty folder or id, a folder listed twice or an id given to two folders.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KitError(f"--roster {path}: no such file (expected a CSV file with the header folder,student_id)") from None
    except (OSError, UnicodeDecodeError) as err:
        raise KitError(f"--roster {path}: cannot be read as UTF-8 text ({type(err).__name__})") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["folder", "student_id"]:
        got = ",".join(clean(c) for c in rows[0])[:80] if rows else "an empty file"
        raise KitError(f"--roster {path}, row 1: expected the header folder,student_id; got {got!r}")
    roster, problems, seen_ids = {}, [], {}
    first_row: dict = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            problems.append(f"row {number}: expected a folder name and a student id, got {clean(','.join(row))[:80]!r}")
            continue
        folder, sid = row[0].strip(), clean(row[1]).strip()
        if folder in roster:
            problems.append(f"row {number}: the folder {shown_name(folder)} is already listed on row {first_row[folder]}")
            continue
        if sid in seen_ids:
            problems.append(f"row {number}: the student id {sid!r} is already given to the folder "
                            f"{shown_name(seen_ids[sid][0])} on row {seen_ids[sid][1]}")
            continue
        roster[folder], first_row[folder], seen_ids[sid] = sid, number, (folder, number)
    if problems:
        raise KitError(listing(f"--roster {path} has problems (row 1 is the header)", problems))
    return roster


def match_roster(roster: dict[str, str], folders, roster_file: Path | str = "the roster") -> tuple[dict, list[str]]:
    """``({folder: student_id}, messages)``: the submission folders matched to the roster, and one
    message per folder with no roster entry and per roster entry with no folder.

    >>> ids, notes = match_roster({"ana": "s1", "bob": "s2"}, ["ana", "carl"], "roster.csv")
    >>> ids
    {'ana': 's1'}
    >>> print("\\n".join(notes))
    submission folder carl: not in roster.csv (graded, with no student id)
    roster.csv lists bob (student id s2), but there is no submission folder of that name
    """
    folders = list(dict.fromkeys(folders))
    ids = {f: roster[f] for f in folders if f in roster}
    by_look = {fold(name): name for name in roster}
    messages = []
    for f in folders:
        if f not in roster:
            near = by_look.get(fold(f))
            hint = (f"; it looks like the roster's {shown_name(near)} but differs by invisible or look-alike characters"
                    if near else "")
            messages.append(f"submission folder {shown_name(f)}: not in {roster_file} (graded, with no student id){hint}")
    for name, sid in roster.items():
        if name not in ids:
            messages.append(f"{roster_file} lists {shown_name(name)} (student id {clean(sid)}), "
                            "but there is no submission folder of that name")
    return ids, messages
