"""The exercises as an nbgrader course: ``source/<exercise>/<exercise>.ipynb`` with autograder test cells.

    from kit.exercises.nbgrader_course import write_course
    write_course(Path("course"), exercises, expected)   # course/source/..., course/nbgrader_config.py

``python -m kit release --nbgrader DIR`` calls it. Each source notebook is the exercise with its
solutions between nbgrader's markers (nbgrader's ``generate_assignment`` makes the student copy
from it), its teaching notes removed, the practice-check key in the locked checks cell (so the
practice checks work in nbgrader's student release, and nbgrader's checksums are computed on the
cell as students get it), and after each auto-checked question an autograder test cell worth
the kit's points. Its visible test is the practice check (so ``nbgrader validate`` fails a blank
or wrong notebook, as students expect); its points come from a test nbgrader hides from students::

    _result = grader.check("q1")
    assert _result.status in ("right", "close"), _result.message
    ### BEGIN HIDDEN TESTS
    from kit.exercises.nbgrader_course import points
    points("q1", 1, "<grading key>")
    ### END HIDDEN TESTS

:func:`points` judges the answer as ``python -m kit grade`` does (the same observation and
verdict code, against a key of salted hashes of the solutions' answers: computed by running
the solutions, never typed) and shows the points earned, which nbgrader reads as the cell's
partial credit: all when right, half when close but rounded differently, none otherwise.
Discussion questions stay nbgrader "manually graded answer" cells worth the kit's 0 points.

Unlike ``kit grade``, nbgrader runs the student's notebook and the test in one kernel: a
student who knows how can change what the test sees (nbgrader's model, not the kit's).
"""

from __future__ import annotations

import copy
from pathlib import Path

from ..files import write_text
from .answers import build_key
from .cells import Exercise, is_instructor, is_solution, role
from .keys import decode_key, encode_key
from .observe import observe
from .verdicts import compare
from .versions import make_version

CLOSE_CREDIT = 0.5          # as python -m kit grade's default --close-credit
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"

CONFIG = '''# nbgrader configuration for the course written by `python -m kit release --nbgrader`.
c = get_config()  # noqa: F821 - nbgrader provides it
c.CourseDirectory.course_id = "eusec-kit"
c.ExecutePreprocessor.timeout = 300
'''


def points(question: str, max_points: float, key: str, close_credit: float = CLOSE_CREDIT) -> float:
    """The points the answer to ``question`` earns (nbgrader shows it as the test cell's partial credit)."""
    data = decode_key(key)
    spec = data["questions"][question]
    result = compare(observe(_user_namespace(), spec), data["entries"][question], spec)
    credit = 1.0 if result.status == "right" else close_credit if result.status == "close" else 0.0
    return float(max_points) * credit


def _user_namespace() -> dict:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        raise RuntimeError("kit.exercises.nbgrader_course.points runs in a notebook kernel")
    return shell.user_ns


def autograder_cell(exercise: str, question: str, max_points: float, key_text: str) -> dict:
    """An nbgrader autograder test cell for one question."""
    unit = "point" if max_points == 1 else "points"
    source = "\n".join([
        f"# Autograder test for {question} ({max_points:g} {unit}). Visible: the practice check must find the",
        "# answer right (or close); the points come from a test hidden from students until grading.",
        f'_result = grader.check("{question}")',
        'assert _result.status in ("right", "close"), _result.message',
        HIDDEN_BEGIN,
        "from kit.exercises.nbgrader_course import points",
        f'points("{question}", {max_points:g}, "{key_text}")',
        HIDDEN_END,
    ])
    grade_id = f"{question}-test"
    return {"cell_type": "code", "id": grade_id, "execution_count": None, "outputs": [], "source": source,
            "metadata": {"nbgrader": {"grade": True, "grade_id": grade_id, "locked": True, "points": max_points,
                                      "schema_version": 3, "solution": False},
                         "kit": {"role": "test", "question": question}}}


def course_notebook(ex: Exercise, key_text: str, grading_key_text: str) -> dict:
    """The nbgrader source notebook of an exercise (see the module docstring)."""
    nb = make_version(ex, "instructor", key_text)      # the source, markers kept, outputs cleared, key in
    nb["metadata"]["kit"] = dict(nb["metadata"]["kit"], version="nbgrader")
    cells, pending = [], None
    for cell in nb["cells"]:
        if is_instructor(cell):
            continue
        spec = (cell.get("metadata") or {}).get("kit") or {}
        if pending and not role(cell) == "check":      # the question's test goes after its check cell, if any
            cells.append(pending)
            pending = None
        cells.append(copy.deepcopy(cell))
        if is_solution(cell) and spec.get("question") in ex.specs:
            q = spec["question"]
            pending = autograder_cell(ex.name, q, float(ex.specs[q].get("points", 1)), grading_key_text)
        elif role(cell) == "check" and pending:
            cells.append(pending)
            pending = None
    if pending:
        cells.append(pending)
    nb["cells"] = cells
    return nb


def write_course(folder: Path, exercises: list[Exercise], expected: dict, key_texts: dict) -> dict:
    """Write ``folder/source/<exercise>/<exercise>.ipynb`` (each replaced atomically) and, if there is
    none yet, ``folder/nbgrader_config.py``; return {exercise: path}. Nothing else in ``folder`` (a
    course's gradebook, submissions, feedback) is touched.

    ``key_texts``: each exercise's practice key (the one in the student copies); the hidden
    tests get a key of their own (another salt).
    """
    import nbformat

    folder = Path(folder)
    written = {}
    for ex in exercises:
        grading_key = encode_key(build_key(ex, expected[ex.name]))
        nb = nbformat.from_dict(course_notebook(ex, key_texts[ex.name], grading_key))
        nbformat.validate(nb)
        path = folder / "source" / ex.name / f"{ex.name}.ipynb"
        write_text(path, nbformat.writes(nb) + "\n")
        written[ex.name] = path
    if not (folder / "nbgrader_config.py").exists():
        write_text(folder / "nbgrader_config.py", CONFIG)
    return written
