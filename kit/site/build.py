"""Build the site: execute the lessons (or take them from the cache) and write offline HTML handouts.

    from kit.site.build import build
    report = build([Path("notebooks/04_moldova.ipynb")], out=Path("/tmp/site"))
    report.executed, report.cached, report.written     # (['04_moldova'], [], [.../04_moldova.html, .../index.html])

``python -m kit build`` calls :func:`build`. It writes ``index.html`` (the lessons with
objectives, time and a link each) and one ``<notebook>.html`` per notebook (see
``kit.site.handout``), plus one page per markdown file next to the notebooks (the glossary).

Fast: notebooks run in parallel, one kernel each, up to the number of cores
(``kit.site.execute``); an executed notebook is cached by a content hash of its inputs
(``kit.site.cache``), so only changed notebooks run again, and a rebuild with nothing
changed only computes hashes.

Safe: pages are written to a temporary file and renamed. A failing cell stops the build
with the notebook, the cell and the error, and leaves the previous handouts in place.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import KitError
from ..files import ROOT, shown, write_text
from .cache import CACHE_ENV, Executed, chosen_cache, recorded_key
from .execute import KERNEL_ENV
from .pdf import print_pdfs
from .sources import Source, label, page_context, plan

__all__ = ["build", "plan", "Report", "Source", "CACHE_ENV", "KERNEL_ENV", "DEFAULT_OUT"]
DEFAULT_OUT = ROOT / "site"


# --------------------------------------------------------------------------- the build


@dataclass
class Report:
    """What a build did (the command prints it; tests and the benchmark read it)."""

    out: Path
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)  # executed earlier: output from the cache
    unchanged: list[str] = field(default_factory=list)  # page already up to date: nothing done
    written: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def build(
    notebooks=(),
    out: Path | None = None,
    pdf: bool = False,
    jobs: int = 0,
    force: bool = False,
    cache_dir: Path | None = None,
    timeout: int = 300,
    quiet: bool = False,
) -> Report:
    """Build the site; return a :class:`Report`. Raises KitError (and writes nothing) if a notebook fails."""
    started = time.perf_counter()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    out = Path(out or DEFAULT_OUT)
    cache = chosen_cache(cache_dir)
    sources = plan([Path(p) for p in notebooks])
    report = Report(out=out)
    index_key = hashlib.sha256("".join(s.page_key for s in sources).encode()).hexdigest()
    targets = [s for s in sources if s.target]
    stale = [s for s in targets if force or recorded_key(out / f"{s.name}.html") != s.page_key]
    index_stale = force or recorded_key(out / "index.html") != index_key
    notebooks_ = [s for s in targets if s.kind == "notebook"]
    say(f"build: {len(notebooks_)} notebook{'s' if len(notebooks_) != 1 else ''} -> {shown(out)}/")
    for s in targets:
        if s not in stale:
            report.unchanged.append(s.name)
            say(f"  {s.name}: up to date")

    # a cold cache also lacks the Vega bundle (about 2 s to make): make it while the kernels run
    early = _prepare_vega(cache) if any(s.kind == "notebook" for s in stale) else None
    try:
        executed = _executed_notebooks([s for s in stale if s.kind == "notebook"], cache, force, jobs, timeout, report, say)
    finally:
        if early:
            early.join()

    if stale or index_stale:
        written = _render_all(stale, executed, sources, cache, report)
        if index_stale:
            written.append((out / "index.html", _index_html(sources, index_key)))
        from .finish import site_pass  # the site-wide pass: lesson list, outlines, glossary links; search.html

        written = site_pass(written, out, sources)
        out.mkdir(parents=True, exist_ok=True)
        for path, text in written:
            write_text(path, text)
            report.written.append(path)
        for path, _ in written:
            say(f"  wrote {shown(path)} ({path.stat().st_size / 1e6:.2f} MB)")
    for warning in report.warnings:
        say(f"  warning: {warning}")
    if pdf:
        report.pdfs = print_pdfs([out / f"{s.name}.html" for s in targets], say=say)
    report.seconds = time.perf_counter() - started
    done = "nothing to do" if not report.written else f"wrote {len(report.written)} file{'s' if len(report.written) != 1 else ''}"
    say(f"build: {done} in {report.seconds:.1f} s (executed {len(report.executed)}, from cache {len(report.cached)}, up to date {len(report.unchanged)})")
    return report


def _prepare_vega(cache: Path):
    """Start writing the Vega bundle into the cache in a thread, unless it is there already."""
    import threading

    from . import vega

    if vega.is_cached(cache):
        return None

    def make():
        try:
            vega.page_fields(cache)
        except Exception:  # noqa: BLE001 - rendering tries again and reports the error
            pass

    thread = threading.Thread(target=make, name="kit-vega-bundle", daemon=True)
    thread.start()
    return thread


def _executed_notebooks(stale, cache: Path, force, jobs, timeout, report, say) -> dict:
    """Executed notebooks by name: from the cache where the inputs match, else run now."""
    from .execute import Job, execute_all

    store = Executed(cache)
    result, todo = {}, []
    for s in stale:
        nb = None if force else store.get(s.name, s.exec_key)
        if nb is not None:
            result[s.name] = nb
            report.cached.append(s.name)
            say(f"  {s.name}: executed earlier, inputs unchanged (cache)")
        else:
            todo.append(s)
    if not todo:
        return result
    total = len(todo)
    count = iter(range(1, total + 1))
    say(f"  executing {total} notebook{'s' if total != 1 else ''}, {min(total, jobs or os.cpu_count() or 1)} at a time")

    def progress(outcome):
        n = next(count)
        if outcome.error:
            say(f"  [{n}/{total}] {outcome.job.path.stem}: FAILED after {outcome.seconds:.1f} s")
        else:
            say(f"  [{n}/{total}] {outcome.job.path.stem}: executed in {outcome.seconds:.1f} s")

    jobs_ = [Job(s.path, label(s.path), dict(KERNEL_ENV), log=cache / "logs" / f"{s.name}.kernel.log") for s in todo]
    outcomes = execute_all(jobs_, parallel=jobs or None, timeout=timeout, on_done=progress)
    errors = []
    for s, outcome in zip(todo, outcomes, strict=True):
        if outcome.error:
            errors.append(outcome.error)
        elif not outcome.skipped:
            result[s.name] = store.put(s.name, s.exec_key, outcome.notebook)
            report.executed.append(s.name)
    if errors:
        skipped = [o.job.path.stem for o in outcomes if o.skipped]
        lines = [f"{e}" for e in errors]
        if skipped:
            lines.append(f"not run: {', '.join(skipped)}")
        lines.append(f"The build stopped; the handouts in {shown(report.out)}/ were left as they were.")
        raise KitError("\n".join(lines))
    return result


def _render_all(stale, executed, sources, cache, report) -> list[tuple[Path, str]]:
    from . import vega

    bundle = {}

    def vega_fields():
        if not bundle:
            bundle.update(vega.page_fields(cache))
        return bundle

    written = []
    for s in stale:
        target = report.out / f"{s.name}.html"
        try:
            written.append((target, _render_one(s, executed, page_context(sources, s), vega_fields, report)))
        except KitError:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. a markdown image attachment that is missing
            raise KitError(f"{label(s.path)}: could not write its handout ({type(err).__name__}: {err}); "
                           f"the handouts in {shown(report.out)}/ were left as they were.") from None
    return written


def _render_one(s, executed, context, vega_fields, report) -> str:
    """The HTML of one page: a markdown page, or a handout from its executed notebook."""
    from . import handout

    if s.kind == "page":
        return handout.render_page(s.path.read_text(encoding="utf-8"), **context)
    text, page = handout.render_handout(executed[s.name], vega=vega_fields, **context)
    report.warnings += page.warnings
    return text


def _index_html(sources, key) -> str:
    from .handout import render_index
    from .lesson_card import lesson_of, title_of

    lessons, extras = [], []
    for s in sources:
        if s.kind == "notebook":
            lessons.append({"href": f"{s.name}.html", "title": title_of(s.nb, s.name), "lesson": lesson_of(s.nb)})
        else:
            text = s.path.read_text(encoding="utf-8")
            first = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), s.name.replace("_", " ").capitalize())
            extras.append({"href": f"{s.name}.html", "title": first})
    return render_index(lessons, build_key=key, extras=extras)
