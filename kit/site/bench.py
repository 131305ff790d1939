"""The handouts benchmark (``python -m kit bench handouts``): speed and size of the build.

Speed and size goals live here, not in timed tests. :func:`handouts` prints its numbers
and returns the targets it missed (the command then exits with status 1)::

    missed = handouts()                       # notebooks/*.ipynb
    missed = handouts([Path("tests/fixtures/handouts/fx_charts.ipynb")], keep=Path("/tmp/bench"))

It measures, in one run on the same notebooks (``notebooks/``, or the test fixtures if
there are none yet, or those given):

- a cold build (empty cache) against plain ``jupyter nbconvert --execute --to html`` run
  over the same notebooks one by one (target: ratio 0.5 or less);
- a rebuild with nothing changed (target: under 1 s);
- for EVERY page the build writes (``*.html`` anywhere under the site folder, worksheets
  included, and under the teacher's edition's folder when the build can write one): its size
  (target: 0.8 MB at most) and the time from navigation start to all charts drawn, in
  Chromium, offline, median of 3 (target: under 0.5 s), with when the page's Vega runtime was
  ready (inflated and started);
- the import cost of ``rfc3987-syntax`` (see ``kit.kernels``).

:func:`pages` measures the pages of a site already built::

    missed = pages([Path("site"), Path("site-teacher")])
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import KitError
from ..files import ROOT

TARGETS = {"ratio": 0.5, "rebuild_s": 1.0, "size_mb": 0.8, "draw_s": 0.5}
TEACHER = "site-teacher"  # the teacher's edition's folder, beside the site (kit build --teacher --out)


# --------------------------------------------------------------------------- handouts


def _timed(command, **kw) -> float:
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kw)
    except subprocess.TimeoutExpired:
        raise KitError(f"{' '.join(map(str, command[:4]))} ... took more than 900 s") from None
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise KitError(f"{' '.join(map(str, command[:4]))} ... failed:\n{done.stderr[-2000:]}")
    return seconds


def _notebooks(given) -> list[Path]:
    if given:
        return [Path(p).resolve() for p in given]
    found = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not found:
        found = sorted((ROOT / "tests" / "fixtures" / "handouts").glob("*.ipynb"))
        print("(no notebooks in notebooks/ yet: using the test fixtures)")
    return found


def _mark(ok: bool, what: str, missed: list[str]) -> str:
    """"ok", or "MISSED" (and ``what`` added to ``missed``)."""
    if not ok:
        missed.append(what)
    return "ok" if ok else "MISSED"


def draw_times(pages: list[Path], names: dict | None = None) -> dict[str, tuple[float, float, float | None] | None]:
    """(seconds from navigation start to the first screen's charts drawn (the page draws those first, or
    its first chart when none is on the first screen), to all charts drawn, to the Vega runtime ready) per page, median of 3,
    in headless Chromium (offline); None for a page without charts. Keyed by ``names[page]`` or the stem."""
    from playwright.sync_api import sync_playwright

    from .pdf import CHROMIUM_ARGS, chromium

    exe = chromium()
    if not exe:
        raise KitError("the draw-time benchmark needs Chromium (Debian: apt-get install chromium)")
    times = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
        try:
            for page_path in pages:
                samples, ready, first = [], [], []
                for _ in range(3):
                    page = browser.new_page()
                    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
                    page.goto(page_path.resolve().as_uri())
                    if page.evaluate("document.querySelectorAll('figure.kit-chart').length") == 0:
                        page.close()
                        break
                    page.wait_for_function("document.documentElement.getAttribute('data-kit-charts') === 'drawn'", timeout=30000)
                    samples.append(page.evaluate("window.kitChartsDrawnAt") / 1000)
                    first.append(page.evaluate("window.kitFirstChartsDrawnAt || window.kitChartsDrawnAt") / 1000)
                    mark = page.evaluate("(performance.getEntriesByName('kit-vega-ready')[0] || {}).startTime")
                    if mark is not None:
                        ready.append(mark / 1000)
                    page.close()
                key = (names or {}).get(page_path, page_path.stem)
                times[key] = ((statistics.median(first), statistics.median(samples), statistics.median(ready) if ready else None)
                              if samples else None)
        finally:
            browser.close()
    return times


def _teacher_edition(notebooks, work: Path, cache: Path) -> Path:
    """Build the teacher's edition beside the site (``kit build --teacher --out``); return its folder."""
    out = work / TEACHER
    _timed([sys.executable, "-m", "kit", "build", "--teacher", "--out", str(out), "--cache-dir", str(cache),
            *map(str, notebooks)], cwd=ROOT)
    return out


def site_pages(folders) -> dict[Path, str]:
    """Every page under ``folders`` (``*.html`` at any depth), named by its path from the folders' parent."""
    found = {}
    for folder in folders:
        folder = Path(folder)
        for page in sorted(folder.rglob("*.html")):
            found[page] = page.relative_to(folder.parent).as_posix()
    return found


def pages(folders) -> list[str]:
    """Size and drawing time of every page under ``folders`` (see the module docstring); print them; return the targets missed."""
    missed: list[str] = []
    found = site_pages(folders)
    if not found:
        raise KitError(f"no pages under {', '.join(map(str, folders))}")
    draws = draw_times(list(found), names=found)
    width = max(len(name) for name in found.values()) + 2
    print(f"pages: size (target <= {TARGETS['size_mb']} MB); load to the first screen's charts drawn, Chromium, offline, "
          f"median of 3 (target < {TARGETS['draw_s']} s); to all charts drawn; to the Vega runtime ready")
    for page, name in found.items():
        size = page.stat().st_size / 1e6
        line = f"  {name:{width}s} {size:5.2f} MB {_mark(size <= TARGETS['size_mb'], f'size of {name}', missed):6s}"
        drawn = draws.get(name)
        if drawn is None:
            line += "  no charts"
        else:
            first, seconds, ready = drawn
            line += f"  {first:5.2f} s {_mark(first < TARGETS['draw_s'], f'drawing time of {name}', missed):6s}"
            line += f"  all {seconds:5.2f} s" + (f"  (runtime ready at {ready:4.2f} s)" if ready is not None else "")
        print(line)
    return missed


def import_cost() -> tuple[float, float]:
    """Median seconds for ``import altair, nbformat`` with and without rfc3987-syntax."""

    def median(code):
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            samples.append(time.perf_counter() - started)
        return statistics.median(samples)

    return median("import altair, nbformat"), median("import sys; sys.modules['rfc3987_syntax'] = None; import altair, nbformat")


def handouts(notebooks=None, keep: Path | None = None) -> list[str]:
    """Run the benchmark on ``notebooks`` (default: notebooks/*.ipynb); print the numbers; return the targets missed."""
    notebooks = _notebooks(notebooks)
    if not notebooks:
        raise KitError("no notebooks to benchmark")
    missed: list[str] = []
    jupyter = Path(sys.executable).with_name("jupyter")
    work = Path(keep).resolve() if keep else Path(tempfile.mkdtemp(prefix="kit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    site, cache, plain = work / "site", work / "cache", work / "nbconvert"
    print(f"{len(notebooks)} notebooks: {', '.join(p.stem for p in notebooks)}; {os.cpu_count()} cores")

    plain_s = 0.0
    for nb in notebooks:
        # a cell limit, so a stuck kernel fails the benchmark instead of hanging it (nbconvert's default: none)
        plain_s += _timed([str(jupyter), "nbconvert", "--execute", "--ExecutePreprocessor.timeout=300", "--to", "html",
                           "--output-dir", str(plain), str(nb)], cwd=nb.parent)
    build = [sys.executable, "-m", "kit", "build", "--out", str(site), "--cache-dir", str(cache), *map(str, notebooks)]
    cold_s = _timed(build, cwd=ROOT)
    rebuild_s = min(_timed(build, cwd=ROOT) for _ in range(3))
    ratio = cold_s / plain_s
    teacher = _teacher_edition(notebooks, work, cache)

    print(f"cold build (empty cache):           {cold_s:6.2f} s")
    print(f"plain nbconvert, one by one:        {plain_s:6.2f} s")
    print(f"ratio build / nbconvert:            {ratio:6.2f}   (target <= {TARGETS['ratio']}: {_mark(ratio <= TARGETS['ratio'], 'build / nbconvert ratio', missed)})")
    print(f"rebuild, nothing changed:           {rebuild_s:6.2f} s (target < {TARGETS['rebuild_s']} s: {_mark(rebuild_s < TARGETS['rebuild_s'], 'rebuild time', missed)})")
    missed += pages([site, teacher])
    from .search import report_lines

    for line in report_lines(site) + report_lines(teacher):
        print(line)
    import importlib.util

    with_rfc, without_rfc = import_cost()
    if importlib.util.find_spec("rfc3987_syntax") is not None:
        print(f"import altair + nbformat:           {with_rfc:6.2f} s with rfc3987-syntax, {without_rfc:.2f} s without")
    else:
        print(f"import altair + nbformat:           {without_rfc:6.2f} s (rfc3987-syntax is not installed: make removes it)")
    print(f"load average during the run: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min; above the core count, every figure is slower)")
    print(f"(outputs in {work})")
    return missed
