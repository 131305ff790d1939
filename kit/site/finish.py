"""The build's last step: the site-wide pass over the pages it writes, and ``search.html``.

    from kit.site.finish import site_pass
    written = site_pass([(out / "02_defence_spending.html", text), ...], out, sources)   # + (out / "search.html", ...)

Every page gets the lesson list, its outline and glossary links (``kit.site.decorate``); the
search index (``kit.site.search``) covers every page of the site: the ones written now, and
those in ``out`` that were already up to date (read from disk, decorated when they were written).
"""

from __future__ import annotations

from pathlib import Path

from . import navigation, search
from .decorate import decorate_page, decorate_site, site_of
from .exporter import common_fields


def site_pass(written: list, out: Path, sources, kind: str = "student") -> list:
    """The pages about to be written ([(path, html)]) decorated, plus ``search.html``, as [(path, html)]."""
    out = Path(out)
    site = site_of(sources, kind)
    fresh = {Path(p).relative_to(out).as_posix(): text for p, text in written}
    done = decorate_site(fresh, site)
    everything = dict(done)
    listed = {path for lesson in site.lessons for _, path in navigation.versions(lesson, kind)} | set(site.others)
    for rel in sorted(listed - set(everything)):
        if (out / rel).is_file():
            everything[rel] = (out / rel).read_text(encoding="utf-8")
    index = search.build_index(everything, kind)
    page = search.search_page(index, common_fields)
    done["search.html"] = decorate_page(page, "search.html", site)
    return [(out / rel, text) for rel, text in done.items()]
