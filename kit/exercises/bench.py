"""Benchmark for ``python -m kit grade``: 30 copies of a solved exercise, against plain nbclient.

    python -m kit bench grading              # or: bench(copies=10)["missed"] == []
    python -m kit bench grading --copies 10

Prints, measured in one run:

- the time ``kit.exercises.grade.grade`` takes for the copies (one bubblewrap sandbox per
  notebook, up to one per core, every notebook run twice: on the data and on the perturbed
  copy), including running the exercise's solutions (twice too) for the hidden answers;
- the time plain nbclient takes to execute the same notebooks one by one (the default
  ``python3`` kernel, no limits, no answers read);
- their ratio (target: 1.0 or less on 2 cores; ``python -m kit bench`` exits 1 when it is missed);
- with ``serial=True``, for an honest split of where the time goes, ``kit grade`` again with one
  sandbox at a time (the grader's kernels skip a slow optional import and do not draw charts,
  which plain nbclient does in every notebook).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

TARGET = 1.0


def bench(copies: int = 30, exercise: str = "01_spending_targets", jobs: int | None = None, log=print,
          serial: bool = False) -> dict:
    """Run the benchmark; return the numbers (seconds and ratio) and print them."""
    import nbformat
    from nbclient import NotebookClient

    from . import answers, grade
    from .cells import EXERCISES, load_exercise
    from .versions import make_version

    ex = load_exercise(EXERCISES / f"{exercise}.ipynb")
    solved = make_version(ex, "solutions", None)
    work = Path(tempfile.mkdtemp(prefix="kit-grade-bench-"))
    try:
        subs = work / "submitted"
        for i in range(copies):
            folder = subs / f"student{i:02d}"
            folder.mkdir(parents=True)
            (folder / f"{exercise}.ipynb").write_text(json.dumps(solved), encoding="utf-8")
        log(f"{copies} copies of the solved {exercise}; {os.cpu_count()} cores; grading with {jobs or os.cpu_count()} kernels at once")

        answers._EXPECTED_CACHE.clear()           # a cold start: the solutions run too
        started = time.perf_counter()
        results = grade.grade(subs, work / "grades", jobs=jobs, log=lambda msg: None)
        graded_s = time.perf_counter() - started
        full = sum(1 for g in results if g.total == g.max)

        serial_s = None
        if serial:
            started = time.perf_counter()
            grade.grade(subs, work / "grades-1", jobs=1, log=lambda msg: None)
            serial_s = time.perf_counter() - started

        started = time.perf_counter()
        for i in range(copies):
            nb = nbformat.read(subs / f"student{i:02d}" / f"{exercise}.ipynb", as_version=4)
            NotebookClient(nb, timeout=120, kernel_name="python3",
                           resources={"metadata": {"path": str(work)}}).execute(stdout=subprocess.DEVNULL,
                                                                                stderr=subprocess.DEVNULL)
        plain_s = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratio = graded_s / plain_s
    log(f"kit grade (sandboxed, 2 runs each):   {graded_s:6.2f} s  ({graded_s / copies:.2f} s per notebook; "
        f"{full}/{copies} with full marks)")
    if serial_s is not None:
        log(f"kit grade, one sandbox at a time:     {serial_s:6.2f} s  ({serial_s / copies:.2f} s per notebook)")
    log(f"plain nbclient, one by one:           {plain_s:6.2f} s  ({plain_s / copies:.2f} s per notebook)")
    log("load average (other processes on this machine distort the figures): "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    log(f"ratio grade / plain:                  {ratio:6.2f}   (target <= {TARGET}: {'ok' if ratio <= TARGET else 'MISSED'})")
    return {"copies": copies, "grade_s": graded_s, "serial_s": serial_s, "plain_s": plain_s, "ratio": ratio,
            "full_marks": full, "missed": [] if ratio <= TARGET else ["grade / plain nbclient ratio"]}
