"""Run the lesson notebooks once per test session, in fresh kernels, in parallel (shared by the notebook tests).

``executed_lessons()`` returns ``{name: (executed notebook, seconds)}``; the first call runs
all of ``notebooks/*.ipynb`` three at a time, later calls reuse the result. Kernels run
with DeprecationWarning and FutureWarning shown, so a warning from Altair or pandas lands
in the cell's stderr. ``chart_specs(nb)`` lists the chart specs a notebook displayed,
read from the Vega outputs of the kit's live renderer (the one JupyterLab uses).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
VEGA = "application/vnd.vega.v5+json"


def execute(path: str) -> tuple[str, float]:
    """Run one notebook in a fresh kernel; return it (as JSON text) and the seconds it took."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ, PYTHONWARNINGS="default::DeprecationWarning,default::FutureWarning")
    env.pop("KIT_HANDOUT", None)
    started = time.perf_counter()
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True, store_widget_state=True,
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute(env=env)
    return nbformat.writes(nb), time.perf_counter() - started


@lru_cache(maxsize=1)
def executed_lessons() -> dict:
    # spawn, not fork: a fork of a pytest process with threads running (the browser tests' Playwright,
    # nbclient's event loops) can copy a held lock and hang its child for ever
    with ProcessPoolExecutor(max_workers=3, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(execute, [str(p) for p in NOTEBOOKS]))
    return {p.stem: (nbformat.reads(text, as_version=4), seconds) for p, (text, seconds) in zip(NOTEBOOKS, results, strict=True)}


def chart_specs(nb) -> list[dict]:
    """The (Vega) specs of the charts a notebook displayed, including those inside widgets' outputs.

    The live renderer (kit.charts.render) shows each chart as a Vega spec compiled in the kernel,
    which keeps the Vega-Lite spec's description, title and ``usermeta``.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    outputs += [out for model in state.values() for out in model.get("state", {}).get("outputs", []) or []]
    return [out["data"][VEGA] for out in outputs if VEGA in out.get("data", {})]


if __name__ == "__main__":   # python tests/lessons_run.py: chart count and execution time per lesson
    started = time.perf_counter()
    for name, (nb, seconds) in executed_lessons().items():
        print(f"{name:30s} {len(chart_specs(nb)):2d} charts  {seconds:5.1f} s")
    print(f"all {len(NOTEBOOKS)}, 3 at a time: {time.perf_counter() - started:.1f} s")
