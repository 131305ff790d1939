"""Finding a class's submissions: ``SUBMISSIONS_DIR/<student>/<exercise>.ipynb``, and what is not one.

    found, notes = find_submissions(Path("submitted"), {"01_spending_targets"})
    # [("ana", "01_spending_targets", Path("submitted/ana/01_spending_targets.ipynb"))], ["ana/notes.txt: ..."]

Folder and file names are the students' own: notes show them with invisible characters
spelled out (``kit.exercises.names.shown_name``).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import KitError
from .names import shown_name


def _exercise_for(stem: str, exercise_names: set) -> str | None:
    """The exercise a file name stands for: exact, or a browser's copy name such as ``name (1)``.

    >>> _exercise_for("01_spending_targets (1)", {"01_spending_targets", "02_gap_to_3_5"})
    '01_spending_targets'
    >>> _exercise_for("notes", {"01_spending_targets"}) is None
    True
    """
    if stem in exercise_names:
        return stem
    matches = [name for name in exercise_names if stem.startswith(name) and not stem[len(name):][:1].isalnum()]
    return max(matches, key=len) if matches else None


def find_submissions(folder: Path, exercise_names: set) -> tuple[list, list]:
    """[(student, exercise, path)] and notes about files that are not graded.

    ``folder/<student>/<exercise>.ipynb``; one level deeper is accepted too (nbgrader's
    ``submitted/<student>/<assignment>/``), and so are browser copy names (``name (1).ipynb``).
    If a student has two files for one exercise, the newer one is graded and the note says so.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KitError(f"no submissions folder at {folder} (expected {folder}/<student>/<exercise>.ipynb)")
    found, notes = [], []
    for student_dir in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        if not student_dir.is_dir() or student_dir.is_symlink():
            notes.append(f"{shown_name(student_dir.name)}: not a student folder (ignored)")
            continue
        files = [p for p in sorted(student_dir.iterdir()) if not p.name.startswith(".")]
        for sub in [p for p in files if p.is_dir() and not p.is_symlink()]:
            files += [p for p in sorted(sub.iterdir()) if not p.name.startswith(".") and not p.is_dir()]
        chosen: dict = {}
        for path in files:
            if path.is_dir():
                continue
            name = _exercise_for(path.stem, exercise_names) if path.suffix == ".ipynb" else None
            rel = path.relative_to(folder).as_posix()
            if name is None:
                notes.append(f"{shown_name(rel)}: not a released exercise (ignored)")
                continue
            if name in chosen:
                older, newer = sorted([chosen[name], path], key=lambda p: (p.lstat().st_mtime_ns, p.name))
                notes.append(f"{shown_name(student_dir.name)}: two files for {name}; graded {newer.relative_to(folder).as_posix()}, "
                             f"ignored {older.relative_to(folder).as_posix()}")
                chosen[name] = newer
            else:
                chosen[name] = path
        found += [(student_dir.name, name, path) for name, path in sorted(chosen.items())]
    return found, notes
