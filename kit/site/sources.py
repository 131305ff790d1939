"""The site's sources (notebooks and markdown pages), the keys that decide what to redo, and each page's context.

    from kit.site.sources import plan, page_context
    sources = plan([Path("notebooks/04_moldova.ipynb")])     # every source of its folder; the one asked for is a target
    [s.name for s in sources if s.target]                     # ['04_moldova']
    page_context(sources, sources[4])["nav"]                  # {'prev': {...}, 'next': {...}}

Both ways of writing a handout read their page's context here: ``python -m kit build``
(:mod:`kit.site.build`) and ``jupyter nbconvert --to kit_handout`` (:mod:`kit.site.exporter`),
so the two give the same page, down to the ``<meta name="kit-build">`` key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..data import freshness, package
from ..errors import KitError
from ..files import ROOT
from .cache import inputs_key, kit_key
from .lesson_card import lesson_of, title_of

DEFAULT_NOTEBOOKS = ROOT / "notebooks"


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
    listed = lesson_of(source.nb or {}).get("datasets")
    names = list(late) if not listed else [n for n in listed if n in late]
    return [late[n] for n in names]


def _read_notebook(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise KitError(f"{label(path)}: not a readable notebook ({err})") from None


def label(path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
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


def _nav(source: Source) -> dict:
    return {"href": f"{source.name}.html", "title": title_of(source.nb or {}, source.name)}


def page_context(sources: list[Source], source: Source) -> dict:
    """What a handout needs besides its executed notebook: name, key, pages to link, neighbours, paths to scrub.

    Lessons link to the previous and next notebook of the folder; markdown pages have no neighbours.
    """
    i = sources.index(source)
    lesson = source.kind == "notebook"
    before = sources[i - 1] if i > 0 else None
    after = sources[i + 1] if i + 1 < len(sources) else None
    return dict(
        name=source.name,
        build_key=source.page_key,
        pages={s.name for s in sources},
        nav={
            "prev": _nav(before) if lesson and before and before.kind == "notebook" else None,
            "next": _nav(after) if lesson and after and after.kind == "notebook" else None,
        },
        folder=source.path.parent,
        scrub_paths=[str(ROOT), str(Path.home()), str(source.path.parent)],
        overdue=source.overdue,
    )
