"""Benchmark: how big each exercise notebook is once a student has run it (target: under 300 KB).

    python -m kit bench notebooks               # or: bench()["missed"] == []

Runs the solved copy of every exercise (its solutions version, the student's notebook with every
answer filled in) in a fresh kernel in live mode, as JupyterLab would (no ``KIT_HANDOUT`` or
``KIT_GRADING``), saves it as nbclient saves it (widget state included) and prints each saved
size next to the unexecuted one and the number of charts. The charts are what made notebooks
big: Altair's offline ``jupyter`` renderer stored the whole Vega bundle (about 0.93 MB) in each
notebook; the kit's ``kit-live`` renderer stores each chart's compiled Vega spec and an SVG.

A notebook that a student saves from JupyterLab also keeps the PNG that JupyterLab's Vega
renderer adds to each chart it draws (measured in ``tests/lessons/test_lab_offline.py``).

:func:`execute_live` is what the tests use (``tests/charts/test_render_notebooks.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

TARGET_BYTES = 300_000
VEGA_MIME = "application/vnd.vega.v5+json"     # the kit's live renderer (kit.charts.render)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MODE_VARS = ("KIT_HANDOUT", "KIT_GRADING")


def solved_copies(out: Path, names=None) -> list[Path]:
    """Write the solutions version of each exercise (all of them, or ``names``) into ``out``; return the paths."""
    from .cells import EXERCISES, find_exercises, load_exercise
    from .versions import make_version

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for source in find_exercises(EXERCISES):
        if names and source.stem not in names:
            continue
        path = out / source.name
        path.write_text(json.dumps(make_version(load_exercise(source), "solutions", None)), encoding="utf-8")
        paths.append(path)
    return paths


def execute_live(paths: list[Path], out: Path, jobs: int | None = None) -> list[Path]:
    """Run each notebook in a fresh kernel in live mode and save it into ``out``; return the saved paths.

    A cell that fails stops its notebook with nbclient's error (naming the cell).
    """
    import nbformat
    from nbclient import NotebookClient

    from ..kernels import kernel_manager, run_all

    out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in MODE_VARS}

    def job(path: Path):
        async def run():
            nb = nbformat.read(path, as_version=4)
            km = kernel_manager()
            try:
                await NotebookClient(nb, km=km, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}}).async_execute(env=env)
            finally:
                if km.has_kernel:
                    await km.shutdown_kernel(now=True)
            saved = out / path.name
            nbformat.write(nb, saved)
            return saved
        return run

    return run_all([job(p) for p in paths], limit=jobs)


def chart_outputs(nb: dict) -> list[dict]:
    """The outputs of a saved notebook that show a chart: the live renderer's, or a widget view."""
    return [out for cell in nb.get("cells", []) for out in cell.get("outputs", [])
            if VEGA_MIME in out.get("data", {}) or WIDGET_MIME in out.get("data", {})]


def bench(log=print, names=None, jobs: int | None = None) -> dict:
    """Run the benchmark; print one line per exercise; return the sizes and the missed targets."""
    work = Path(tempfile.mkdtemp(prefix="kit-notebook-bench-"))
    try:
        sources = solved_copies(work / "solved", names)
        saved = execute_live(sources, work / "executed", jobs=jobs)
        sizes, missed = {}, []
        log(f"{len(saved)} solved exercise notebooks, run in live mode and saved (target: under {TARGET_BYTES // 1000} KB each)")
        for source, path in zip(sources, saved, strict=True):
            size = path.stat().st_size
            charts = len(chart_outputs(json.loads(path.read_text(encoding="utf-8"))))
            sizes[path.stem] = size
            log(f"  {path.stem:32s} {size / 1000:7.1f} KB executed  ({source.stat().st_size / 1000:5.1f} KB before; {charts} chart(s))")
            if size >= TARGET_BYTES:
                missed.append(f"{path.stem} is {size / 1000:.0f} KB, target under {TARGET_BYTES // 1000} KB")
        return {"sizes": sizes, "missed": missed}
    finally:
        shutil.rmtree(work, ignore_errors=True)
