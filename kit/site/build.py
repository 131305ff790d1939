"""Build the site: execute the lessons (or take them from the cache) and write offline HTML handouts.

    from kit.site.build import build
    report = build([Path("notebooks/04_moldova.ipynb")], out=Path("/tmp/site"))
    report.executed, report.cached, report.written     # (['04_moldova'], [], [.../04_moldova.html, .../index.html])

``python -m kit build`` calls :func:`build`. It writes ``index.html`` (the lessons with
objectives, time and links to each handout and worksheet), one ``<notebook>.html`` per notebook
(see ``kit.site.handout``), one ``worksheets/<notebook>.html`` per lesson with worksheet questions
(``kit.site.worksheet``), and one page per markdown file next to the notebooks (the glossary).

``build(teacher=True)`` (``python -m kit build --teacher``) writes the teacher's edition to
``site-teacher/`` instead, never into ``site/``: ``index.html`` and one teacher's page per lesson
(``kit.site.teacher``), and the whole student site under ``student/``, so the folder works when
copied alone (and ``student/`` can be handed on as it is). Each lesson is executed once; the
handout, the worksheet and the teacher's page all come from that one executed notebook.
Before writing, the student pages are scanned for any text of the teacher's cells
(``kit.exercises.leaks``).

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
from ..exercises.cells import EXERCISES
from ..files import ROOT, shown, write_text
from ..notebook import tags
from .cache import CACHE_ENV, Executed, chosen_cache, hash_files, recorded_key
from .execute import KERNEL_ENV
from .lesson_card import lesson_of
from .pdf import print_pdfs
from .sources import Source, label, page_context, plan

__all__ = ["build", "plan", "Report", "Source", "CACHE_ENV", "KERNEL_ENV", "DEFAULT_OUT", "DEFAULT_TEACHER_OUT"]
DEFAULT_OUT = ROOT / "site"
DEFAULT_TEACHER_OUT = ROOT / "site-teacher"
STUDENT = "student"        # the student site's folder inside the teacher's edition
WORKSHEETS = "worksheets"  # the worksheets' folder inside a student site
WHAT = {"handout": "handout", "worksheet": "worksheet", "teacher": "teacher's page"}   # a page's kind, in messages


@dataclass
class Planned:
    """One page to write: its source, kind (``handout``, ``worksheet``, ``teacher``), file and key."""

    source: Source
    kind: str
    path: Path
    key: str


def _has_worksheet(s: Source) -> bool:
    return s.kind == "notebook" and any("worksheet-question" in tags(c) for c in (s.nb or {}).get("cells", []))


def _digest(*parts) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _pages(sources, student: Path, teacher: Path | None, exercises_dir: Path) -> list[Planned]:
    """Every page of the targets: handouts and pages, worksheets, and (for the teacher's edition) teacher pages."""
    planned = []
    for s in sources:
        if not s.target:
            continue
        planned.append(Planned(s, "handout", student / f"{s.name}.html", s.page_key))
        if _has_worksheet(s):
            planned.append(Planned(s, "worksheet", student / WORKSHEETS / f"{s.name}.html", _digest(s.page_key, "worksheet")))
        if teacher is not None and s.kind == "notebook":
            stems = [str(x) for x in lesson_of(s.nb or {}).get("exercises") or []]
            files = [exercises_dir / f"{x}.ipynb" for x in stems]
            extra = hash_files([f for f in files if f.is_file()], exercises_dir) if files else ""
            planned.append(Planned(s, "teacher", teacher / f"{s.name}.html", _digest(s.page_key, "teacher", extra)))
    return planned


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
    teacher: bool = False,
    exercises_dir: Path | None = None,
) -> Report:
    """Build the site (``teacher``: the teacher's edition); return a :class:`Report`.

    ``exercises_dir``: where the lessons' ``exercises`` are (default: exercises/).
    Raises KitError (and writes nothing) if a notebook fails, if a student page would show a
    teacher's text, or (``teacher``) if a lesson lacks what the teacher's edition needs.
    """
    started = time.perf_counter()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    out = Path(out or (DEFAULT_TEACHER_OUT if teacher else DEFAULT_OUT))
    student = out / STUDENT if teacher else out
    cache = chosen_cache(cache_dir)
    sources = plan([Path(p) for p in notebooks])
    _check_out(out, teacher)
    report = Report(out=out)
    exercises_dir = Path(exercises_dir or EXERCISES)
    pages = _pages(sources, student, out if teacher else None, exercises_dir)
    index_key = _digest(*(p.key for p in pages if p.kind != "teacher"), *(s.page_key for s in sources),
                        *(s.name for s in sources if _has_worksheet(s)))
    indexes = [(student / "index.html", index_key, False)] + ([(out / "index.html", _digest(index_key, "teacher"), True)] if teacher else [])
    stale = [p for p in pages if force or recorded_key(p.path) != p.key]
    # an index is rewritten when its key changed or its site lost search.html (the site pass writes both)
    indexes = [i for i in indexes if force or recorded_key(i[0]) != i[1] or not (i[0].parent / "search.html").is_file()]
    notebooks_ = [s for s in sources if s.target and s.kind == "notebook"]
    say(f"build{' --teacher' if teacher else ''}: {len(notebooks_)} notebook{'s' if len(notebooks_) != 1 else ''} -> {shown(out)}/")
    stale_names = {p.source.name for p in stale}
    stale_sources = [s for s in sources if s.name in stale_names]
    if teacher:   # pages up to date were checked when they were built
        _check_teacher([p.source for p in stale if p.kind == "teacher"], exercises_dir)
    for s in sources:
        if s.target and s.name not in stale_names:
            report.unchanged.append(s.name)
            say(f"  {s.name}: up to date")

    # a cold cache also lacks the Vega bundle (about 2 s to make): make it while the kernels run
    early = _prepare_vega(cache) if any(p.kind != "worksheet" and p.source.kind == "notebook" for p in stale) else None
    try:
        executed = _executed_notebooks([s for s in stale_sources if s.kind == "notebook"], cache, force, jobs, timeout, report, say)
    finally:
        if early:
            early.join()

    if stale or indexes:
        written = _render_all(stale, executed, sources, cache, report, exercises_dir)
        _scan_student_pages(written, executed, student, out)
        for path, key, for_teacher in indexes:
            written.append((path, _index_html(sources, key, for_teacher)))
        from .finish import site_pass  # the site-wide pass: lesson list, outlines, glossary links; search.html

        written = site_pass(written, student, sources, teacher=out if teacher else None)
        for path, text in written:
            write_text(path, text)
            report.written.append(path)
        for path, _ in written:
            say(f"  wrote {shown(path)} ({path.stat().st_size / 1e6:.2f} MB)")
    for warning in report.warnings:
        say(f"  warning: {warning}")
    if pdf:
        report.pdfs = print_pdfs([p.path for p in pages if p.kind in ("handout", "teacher")], say=say)
    report.seconds = time.perf_counter() - started
    done = "nothing to do" if not report.written else f"wrote {len(report.written)} file{'s' if len(report.written) != 1 else ''}"
    say(f"build: {done} in {report.seconds:.1f} s (executed {len(report.executed)}, from cache {len(report.cached)}, up to date {len(report.unchanged)})")
    return report


def _check_out(out: Path, teacher: bool):
    """The teacher's edition never goes inside the student site (which a teacher may email as a whole)."""
    if teacher and (out.resolve() == DEFAULT_OUT.resolve() or DEFAULT_OUT.resolve() in out.resolve().parents):
        raise KitError(f"--teacher --out {out}: the teacher's edition never goes inside the student site {shown(DEFAULT_OUT)}/; "
                       "choose another folder (default: site-teacher/)")


def _check_teacher(sources, exercises_dir: Path):
    """Stop before anything runs if a lesson lacks what the teacher's edition needs (``kit.lessons.schema``)."""
    if not sources:
        return
    from ..lessons.schema import teacher_problems

    problems = [p for s in sources for p in teacher_problems(s.nb or {}, label(s.path), exercises_dir)]
    if problems:
        raise KitError("The teacher's edition needs more in these lessons (nothing was built):\n" + "\n".join(f"  - {p}" for p in problems))


def _scan_student_pages(written, executed, student: Path, out: Path):
    """Stop the build if a student page would show a teacher's text (see ``kit.exercises.leaks``)."""
    from ..exercises.leaks import scan_texts, teacher_texts

    secrets = [item for name, nb in sorted(executed.items()) for item in teacher_texts(nb, name)]
    pages = {shown(path): text for path, text in written if student == out or student in path.parents}
    problems = scan_texts(pages, secrets)
    if problems:
        raise KitError("The build stopped: a student page would show the teacher's text (nothing was written):\n"
                       + "\n".join(f"  - {p}" for p in problems[:20]))


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


def _render_all(stale, executed, sources, cache, report, exercises_dir) -> list[tuple[Path, str]]:
    from . import vega

    bundle = {}

    def vega_fields():
        if not bundle:
            bundle.update(vega.page_fields(cache))
        return bundle

    keys = _exercise_keys([p for p in stale if p.kind == "teacher"], cache, exercises_dir)
    written = []
    for p in stale:
        try:
            written.append((p.path, _render_one(p, executed, page_context(sources, p.source), vega_fields, report, keys, sources)))
        except KitError:
            raise
        except Exception as err:  # noqa: BLE001 - e.g. a markdown image attachment that is missing
            raise KitError(f"{label(p.source.path)}: could not write its {WHAT[p.kind]} ({type(err).__name__}: {err}); "
                           f"the pages in {shown(report.out)}/ were left as they were.") from None
    return written


def _exercise_keys(teacher_pages, cache, exercises_dir) -> dict:
    """The answer keys of the exercises the teacher's pages name (computed once for all of them)."""
    stems = list(dict.fromkeys(str(x) for p in teacher_pages for x in lesson_of(p.source.nb or {}).get("exercises") or []))
    if not stems:
        return {}
    from .answer_keys import exercise_keys

    return {key["stem"]: key for key in exercise_keys(stems, cache, exercises_dir)}


def _render_one(p: Planned, executed, context, vega_fields, report, keys, sources) -> str:
    """The HTML of one page: a markdown page, a handout, a worksheet or a teacher's page, from the executed notebook."""
    from . import handout

    s = p.source
    if s.kind == "page":
        return handout.render_page(s.path.read_text(encoding="utf-8"), **context)
    nb = executed[s.name]
    if p.kind == "worksheet":
        from .worksheet import render_worksheet

        return render_worksheet(nb, name=s.name, build_key=p.key, where=label(s.path), folder=context["folder"],
                                pages=context["pages"], scrub_paths=context["scrub_paths"])
    if p.kind == "teacher":
        from .teacher import render_teacher

        links = {"The handout": f"{STUDENT}/{s.name}.html"}
        if _has_worksheet(s):
            links["The worksheet"] = f"{STUDENT}/{WORKSHEETS}/{s.name}.html"
        stems = [str(x) for x in lesson_of(s.nb or {}).get("exercises") or []]
        text = render_teacher(nb, vega=vega_fields, keys=[keys[x] for x in stems], where=label(s.path), links=links,
                              **{**context, "build_key": p.key})
        for other in sources:   # markdown pages (the glossary) live in the student folder
            if other.kind == "page":
                text = text.replace(f'href="{other.name}.html', f'href="{STUDENT}/{other.name}.html')
        return text
    text, page = handout.render_handout(nb, vega=vega_fields, **context)
    report.warnings += page.warnings
    return text


def _index_html(sources, key, teacher: bool) -> str:
    from .handout import render_index
    from .lesson_card import title_of

    prefix = f"{STUDENT}/" if teacher else ""
    lessons, extras = [], []
    for s in sources:
        if s.kind == "notebook":
            links = [("Handout", f"{prefix}{s.name}.html")]
            if _has_worksheet(s):
                links.append(("Worksheet", f"{prefix}{WORKSHEETS}/{s.name}.html"))
            if teacher:
                links.insert(0, ("Teacher's page", f"{s.name}.html"))
            lessons.append({"href": links[0][1], "title": title_of(s.nb, s.name), "lesson": lesson_of(s.nb), "links": links})
        else:
            text = s.path.read_text(encoding="utf-8")
            first = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), s.name.replace("_", " ").capitalize())
            extras.append({"href": f"{prefix}{s.name}.html", "title": first})
    return render_index(lessons, build_key=key, extras=extras, teacher=teacher)
