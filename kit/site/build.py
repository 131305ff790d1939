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
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..data import freshness, package
from ..errors import KitError
from ..files import ROOT, shown, write_text
from .cache import Executed, inputs_key, kit_key, recorded_key
from .pdf import print_pdfs

DEFAULT_NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "site"
DEFAULT_CACHE = ROOT / ".kit-cache"
CACHE_ENV = "KIT_CACHE_DIR"
KERNEL_ENV = {"KIT_HANDOUT": "1", "PYTHONHASHSEED": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def _review_state() -> tuple[dict, str]:
    """The datasets past their review date today (name -> as_of, review_by), and today's date.

    Part of the cache keys: a cached page or execution never keeps an old verdict, and for a
    given date (the clock, or ``$KIT_TODAY``) rebuilds stay byte-identical.
    """
    folder = package.chosen_dir()
    try:
        resources = package.resources(folder)
    except KitError:
        return {}, freshness.today().isoformat()
    late = {name: {"name": name, "as_of": resources[name].get("as_of"), "review_by": resources[name].get("review_by"),
                   "superseded_by": resources[name].get("superseded_by")}
            for name in freshness.overdue(folder)}
    return late, freshness.today().isoformat()


def _uses(source: Source, late: dict) -> list[dict]:
    """The overdue datasets a notebook uses: those its lesson metadata lists, or all of them if it lists none."""
    if source.kind != "notebook":
        return []
    listed = ((source.nb or {}).get("metadata", {}).get("lesson") or {}).get("datasets")
    names = list(late) if not listed else [n for n in listed if n in late]
    return [late[n] for n in names]


@dataclass
class Source:
    """A notebook or markdown page of the site, with the hashes that decide what to redo."""

    path: Path
    name: str
    kind: str  # "notebook" or "page"
    exec_key: str = ""
    page_key: str = ""
    target: bool = True  # built in this run (else only listed in the index and navigation)
    nb: dict | None = None  # the unexecuted notebook (for titles and lesson metadata)
    overdue: list[dict] = field(default_factory=list)  # datasets it uses that are past their review date today


def _read_notebook(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise KitError(f"{_label(path)}: not a readable notebook ({err})") from None


def _label(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def plan(paths: list[Path]) -> list[Source]:
    """The site's sources with their keys; ``target`` marks the ones to build.

    With no ``paths`` every notebook and markdown page in notebooks/ is built. With paths,
    only those notebooks are built, but the index and the navigation still list every
    notebook and page in their folders.
    """
    if not paths:
        if not DEFAULT_NOTEBOOKS.is_dir():
            raise KitError(f"no notebooks/ folder in {ROOT}")
        folders = [DEFAULT_NOTEBOOKS]
    else:
        missing = [str(p) for p in paths if not p.is_file()]
        if missing:
            raise KitError(f"no such notebook: {', '.join(missing)}")
        wrong = [str(p) for p in paths if p.suffix != ".ipynb"]
        if wrong:
            raise KitError(f"not a notebook (.ipynb): {', '.join(wrong)}")
        folders = list(dict.fromkeys(p.resolve().parent for p in paths))
    sources = []
    for folder in folders:
        sources += [Source(p.resolve(), p.stem, "notebook") for p in sorted(folder.glob("*.ipynb"))]
    for folder in folders:
        sources += [Source(p.resolve(), p.stem, "page") for p in sorted(folder.glob("*.md")) if p.stem.lower() != "readme"]
    wanted = {p.resolve() for p in paths}
    for source in sources:
        source.target = not paths or source.path in wanted
    names = [s.name for s in sources]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise KitError(f"two sources would write the same page: {', '.join(clash)}")
    late, today = _review_state()
    shared = inputs_key(package.chosen_dir(), set(folders)) + "\0overdue:" + json.dumps(late, sort_keys=True)
    site = hashlib.sha256()
    for source in sources:
        raw = source.path.read_bytes()
        if source.kind == "notebook":
            try:
                source.nb = _read_notebook(source.path)
            except KitError:
                if source.target:
                    raise
                source.nb = {}  # only listed: its file name stands in for its title
        source.exec_key = hashlib.sha256(shared.encode() + b"\0" + source.kind.encode() + b"\0" + raw).hexdigest()
        site.update(source.name.encode() + b"\0" + raw + b"\0")
    site.update(kit_key("page").encode())  # the page templates and their code
    site_key = site.hexdigest()
    for source in sources:
        source.overdue = _uses(source, late)
        notice = f"{today}:{','.join(d['name'] for d in source.overdue)}" if source.overdue else ""
        source.page_key = hashlib.sha256(f"{source.exec_key}\0{site_key}\0{notice}".encode()).hexdigest()
    return sources


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
    cache = Path(cache_dir or os.environ.get(CACHE_ENV) or DEFAULT_CACHE)
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
        pages = {s.name for s in sources}
        written = _render_all(stale, executed, sources, pages, cache, report)
        if index_stale:
            written.append((out / "index.html", _index_html(sources, index_key)))
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

    jobs_ = [Job(s.path, _label(s.path), dict(KERNEL_ENV), log=cache / "logs" / f"{s.name}.kernel.log") for s in todo]
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


def _render_all(stale, executed, sources, pages, cache, report) -> list[tuple[Path, str]]:
    from . import vega

    bundle = {}

    def vega_fields():
        if not bundle:
            bundle.update(vega.page_fields(cache))
        return bundle

    order = [s for s in sources]
    written = []
    scrub_paths = [str(ROOT), str(Path.home())]
    for s in stale:
        i = order.index(s)
        nav = {
            "prev": _nav(order[i - 1]) if i > 0 and order[i - 1].kind == "notebook" and s.kind == "notebook" else None,
            "next": _nav(order[i + 1]) if i + 1 < len(order) and order[i + 1].kind == "notebook" and s.kind == "notebook" else None,
        }
        target = report.out / f"{s.name}.html"
        try:
            written.append((target, _render_one(s, executed, pages, nav, vega_fields, scrub_paths, report)))
        except KitError:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. a markdown image attachment that is missing
            raise KitError(f"{_label(s.path)}: could not write its handout ({type(err).__name__}: {err}); "
                           f"the handouts in {shown(report.out)}/ were left as they were.") from None
    return written


def _render_one(s, executed, pages, nav, vega_fields, scrub_paths, report) -> str:
    """The HTML of one page: a markdown page, or a handout from its executed notebook."""
    from . import handout

    if s.kind == "page":
        text = s.path.read_text(encoding="utf-8")
        return handout.render_page(text, name=s.name, build_key=s.page_key, pages=pages, nav={}, folder=s.path.parent)
    text, page = handout.render_handout(
        executed[s.name], name=s.name, build_key=s.page_key, pages=pages, nav=nav, vega=vega_fields,
        folder=s.path.parent, scrub_paths=scrub_paths + [str(s.path.parent)], overdue=s.overdue,
    )  # fmt: skip
    report.warnings += page.warnings
    return text


def _nav(source: Source) -> dict:
    from .lesson_card import title_of

    return {"href": f"{source.name}.html", "title": title_of(source.nb or {}, source.name)}


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
