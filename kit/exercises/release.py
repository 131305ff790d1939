"""Release the exercises: student, solutions and instructor copies of every source notebook.

    from kit.exercises.release import release
    written = release(out=Path("release"))    # {exercise: {"student": path, "solutions": path, "instructor": path}}

``python -m kit release`` calls it. The release:

1. loads every source notebook and checks its markers and cells, failing closed
   (``kit.exercises.cells``);
2. runs each source notebook (its solutions) in a kernel and turns every answer into a
   practice-check key: salted hashes only, never typed by hand (``kit.exercises.answers``);
3. writes three versions (``kit.exercises.versions``): ``student/``, ``solutions/`` and
   ``instructor/``, and the student bundle ``bundle/``: the student notebooks with a README and
   the environment that installs the kit, ready to publish as its own repository
   (``kit.exercises.bundle``);
4. scans the student files and the bundle (sources, outputs, metadata, attachments) for any
   solution line, teaching note or expected value, and the student site ``site/`` (if built) for
   any teacher's text or model answer, and fails if one leaked (``kit.exercises.leaks``);
5. moves the new release into place only when all of that passed (written to a temporary
   folder first, then swapped in), and never writes into ``exercises/``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import KitError, listing
from ..files import ROOT, replace_folder
from .answers import build_key, expected_answers
from .bundle import scan_bundle, write_bundle
from .cells import EXERCISES, find_exercises, load_exercise
from .keys import encode_key
from .leaks import scan_site, scan_student
from .nbgrader_course import write_course
from .versions import VERSIONS, make_version

DEFAULT_OUT = Path("release")
SITE, LESSONS = ROOT / "site", ROOT / "notebooks"   # the student site the scan covers, and the lessons it holds


def _write_nb(nb: dict, path: Path):
    import nbformat

    node = nbformat.from_dict(nb)
    nbformat.validate(node)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(node, f)


def _guard(out: Path, exercises_dir: Path):
    o, e = out.resolve(), exercises_dir.resolve()
    if o == e or e in o.parents or o in e.parents:
        raise KitError(f"--out {out} would write into or over the source notebooks in {exercises_dir}; "
                       "choose another folder")


def release(exercises_dir: Path = EXERCISES, out: Path = DEFAULT_OUT, names=None, jobs=None,
            expected: dict | None = None, log=print, nbgrader: Path | None = None) -> dict:
    """Release the exercises; return {exercise: {version: path}}. See the module docstring.

    ``nbgrader``: also write an nbgrader course's ``source/`` there (:mod:`kit.exercises.nbgrader_course`),
    with the same practice keys as the student copies, once the release passed its scan."""
    exercises_dir, out = Path(exercises_dir), Path(out)
    _guard(out, exercises_dir)
    exercises = [load_exercise(p) for p in find_exercises(exercises_dir, names)]
    if expected is None:
        log(f"running the solutions of {len(exercises)} exercise(s) to make the practice checks ...")
        expected = expected_answers(exercises, jobs=jobs)
    written, problems, keys = {}, [], {}
    with replace_folder(out) as staging:
        for ex in exercises:
            key_text = keys[ex.name] = encode_key(build_key(ex, expected[ex.name]))
            written[ex.name] = {}
            for version in VERSIONS:
                nb = make_version(ex, version, key_text)
                path = staging / version / f"{ex.name}.ipynb"
                _write_nb(nb, path)
                written[ex.name][version] = out / version / f"{ex.name}.ipynb"
            student = json.loads((staging / "student" / f"{ex.name}.ipynb").read_text(encoding="utf-8"))
            problems += scan_student(student, ex, expected[ex.name], f"student/{ex.name}.ipynb")
        write_bundle(staging / "bundle", [staging / "student" / f"{ex.name}.ipynb" for ex in exercises], exercises)
        problems += scan_bundle(staging / "bundle", exercises, expected)
        if SITE.is_dir():
            problems += scan_site(SITE, sorted(LESSONS.glob("*.ipynb")), exercises)
        if problems:
            raise KitError(listing("The release stopped: the student copies would leak answers", problems, limit=40))
    for name, versions in written.items():
        log(f"released {name}: " + ", ".join(f"{v}/" for v in versions))
    if nbgrader is not None:
        course = write_course(Path(nbgrader), exercises, expected, keys)
        log(f"nbgrader course: {len(course)} assignment(s) in {Path(nbgrader) / 'source'}/")
    log(f"student bundle: {out / 'bundle'}/ (the student notebooks, a README and requirements.txt: publish it as its own repository)")
    return written
