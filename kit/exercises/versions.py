"""The versions of an exercise: student (solutions stubbed), solutions, instructor, and grading.

    >>> from kit.exercises.cells import find_exercises, load_exercise
    >>> ex = load_exercise(find_exercises(names=["01_spending_targets"])[0])
    >>> student = make_version(ex, "student", key_text=None)
    >>> student["metadata"]["kit"]["version"], any(is_instructor(c) for c in student["cells"])
    ('student', False)

- ``student``: each solution region replaced by ``answer = ...  # your code here``,
  discussion answers by a prompt, instructor cells removed, outputs and execution counts
  cleared, the practice-check key in the checks cell;
- ``solutions``: the solutions without their markers (for after the deadline);
- ``instructor``: the source, with the teaching notes;
- ``grading``: the student version with a key-free checks cell (the template the grader
  matches submissions against).
"""

from __future__ import annotations

import copy
import re

from ..notebook import cell_source
from .cells import BEGIN, END, Exercise, is_instructor, is_solution, role, solution_regions

VERSIONS = ("student", "solutions", "instructor")
STUB = "...  # your code here"
DISCUSSION_STUB = "*Write your answer here.*"


def _set_source(cell, text: str):
    cell["source"] = text


def _clean_code(cell):
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    meta = cell.get("metadata") or {}
    for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
        meta.pop(key, None)


def stub_source(source: str, spec: dict | None) -> str:
    """The student's version of a solution cell: each marked region becomes a stub.

    >>> print(stub_source("### BEGIN SOLUTION\\nn = len(df)\\n### END SOLUTION\\nn", {"answer": "n"}))
    n = ...  # your code here
    n
    """
    lines = source.splitlines()
    regions = solution_regions(lines)
    answer = (spec or {}).get("answer")
    if not regions:                       # nbgrader: a solution cell with no markers is replaced whole
        return f"{answer} = {STUB}" if answer else STUB
    out, last = [], 0
    for begin, end in regions:
        out += lines[last:begin]
        indent = re.match(r"\s*", lines[begin]).group(0)
        body = "\n".join(lines[begin + 1:end])
        names = re.findall(rf"^{indent}([A-Za-z_]\w*)\s*=(?!=)", body, flags=re.M)
        name = answer if answer in names else (names[-1] if names else None)
        out.append(f"{indent}{name} = {STUB}" if name else f"{indent}{STUB}")
        last = end + 1
    out += lines[last:]
    return "\n".join(out)


def strip_markers(source: str) -> str:
    """The solution with the marker lines removed (the solutions version)."""
    return "\n".join(line for line in source.splitlines() if BEGIN not in line and END not in line)


def checks_cell_source(exercise: str, key_text: str | None) -> str:
    """The checks cell: a Grader with the hashed key (or none, while grading)."""
    head = ("from kit.checks import Grader\n\n"
            "# Practice checks: feedback while you work, not your grade.\n")
    if not key_text:
        return head + f'grader = Grader("{exercise}")\ncheck = grader.check'
    chunks = [key_text[i:i + 76] for i in range(0, len(key_text), 76)]
    body = "\n".join(f'    "{c}"' for c in chunks)
    return (head + "# The key holds only salted hashes of the answers, never the answers.\n"
            f'grader = Grader("{exercise}", key=(\n{body}\n))\ncheck = grader.check')


KEY_LINE = re.compile(r'^\s*"([A-Za-z0-9+/=]+)"\s*$', flags=re.M)


def key_in(source: str) -> str | None:
    """The practice-check key written into a checks cell, if any.

    >>> key_in(checks_cell_source("x", "QUJD" * 30)) == "QUJD" * 30
    True
    """
    return "".join(KEY_LINE.findall(source)) or None


_NB_META_KEEP = ("kernelspec", "language_info", "kit")


def make_version(ex: Exercise, version: str, key_text: str | None) -> dict:
    """One version of an exercise as a notebook dict: student, solutions or instructor.

    (``grading`` is the student version with a key-free checks cell.)
    """
    nb = copy.deepcopy(ex.nb)
    nb["metadata"] = {k: v for k, v in (nb.get("metadata") or {}).items() if k in _NB_META_KEEP}
    nb["metadata"].setdefault("kit", {})
    nb["metadata"]["kit"] = dict(nb["metadata"]["kit"], exercise=ex.name, version=version)
    cells = []
    for cell in nb["cells"]:
        if version != "instructor" and is_instructor(cell):
            continue
        _clean_code(cell)
        spec = (cell.get("metadata") or {}).get("kit")
        if role(cell) == "checks":
            _set_source(cell, checks_cell_source(ex.name, key_text))
        elif is_solution(cell) and version in ("student", "grading"):
            if cell.get("cell_type") == "code":
                _set_source(cell, stub_source(cell_source(cell), spec))
            else:
                _set_source(cell, DISCUSSION_STUB)
            cell.pop("attachments", None)
        elif is_solution(cell) and version == "solutions" and cell.get("cell_type") == "code":
            _set_source(cell, strip_markers(cell_source(cell)))
        cells.append(cell)
    nb["cells"] = cells
    return nb
