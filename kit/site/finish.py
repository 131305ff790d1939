"""The build's last step: the site-wide pass over the pages it writes, and ``search.html``.

    from kit.site.finish import site_pass
    written = site_pass([(out / "02_defence_spending.html", text), ...], out, sources)   # + (out / "search.html", ...)
    written = site_pass(written, out / "student", sources, teacher=out)                  # the teacher's edition

Every page gets the lesson list, its outline and glossary links (``kit.site.decorate``). Each
site gets its ``search.html`` (``kit.site.search``), covering every page of that site: the ones
written now, and those already up to date on disk (read back; decorated when they were
written). With ``teacher``, the pages under ``student`` are the student site (copied whole into
the teacher's edition) and the others the teacher's site.
"""

from __future__ import annotations

from pathlib import Path

from . import navigation, search
from .decorate import decorate_page, decorate_site, site_of
from .exporter import common_fields


def site_pass(written: list, student: Path, sources, teacher: Path | None = None) -> list:
    """The pages about to be written ([(path, html)]) decorated, plus each site's ``search.html``, as [(path, html)]."""
    student = Path(student)
    roots = [(student, "student")] + ([(Path(teacher), "teacher")] if teacher is not None else [])
    groups: dict = {root: {} for root, _ in roots}
    for path, text in written:
        path = Path(path)
        root = next(r for r, _ in roots if r == path.parent or r in path.parents)
        groups[root][path.relative_to(root).as_posix()] = text
    result = []
    for root, kind in roots:
        done = _one_site(groups[root], root, sources, kind, result)
        result += [(root / rel, text) for rel, text in done.items()]
    return result


def _one_site(fresh: dict, root: Path, sources, kind: str, written: list = ()) -> dict:
    """Decorate one site's fresh pages and make its search page. ``written``: pages already done in
    this pass (the student site, under the teacher's folder): searched as written now, never as
    an earlier build left them on disk (a first build would otherwise index less than a second)."""
    site = site_of(sources, kind)
    done = decorate_site(fresh, site)
    listed = {path for lesson in site.lessons for _, path in navigation.versions(lesson, kind)} | set(site.others)
    now = {path.relative_to(root).as_posix(): text for path, text in written if root in path.parents}
    everything = {rel: now[rel] for rel in sorted(listed & set(now))} | dict(done)
    for rel in sorted(listed - set(everything)):
        if (root / rel).is_file():
            everything[rel] = (root / rel).read_text(encoding="utf-8")
    index = search.build_index(everything, kind)
    done["search.html"] = decorate_page(search.search_page(index, common_fields), "search.html", site)
    return done
