"""Where a dataset comes from and how to cite it, from ``datapackage.json``.

    >>> from kit.data.citation import cite, provenance
    >>> sorted(provenance("military_expenditure"))[:4]
    ['as_of', 'citation', 'description', 'licenses']
    >>> text = cite("defence_spending")     # its own citation, else its title, main publishers and date

A citation names original publishers only (NATO, a government, a court, a newspaper for its
own reporting), never the copy the kit read; a dataset without a ``citation`` of its own is
cited by the publishers it rests on most (:func:`main_publishers`).
"""

from __future__ import annotations

import csv
from functools import lru_cache

from . import package
from .curation import SOUND_TIERS

#: Tiers whose copies may be named in a citation, best first.
_TIER_RANK = {tier: rank for rank, tier in enumerate(SOUND_TIERS)}


def provenance(name: str, folder=None) -> dict:
    """Title, description, sources, licences, dates and notes of a dataset (``df.attrs["provenance"]``)."""
    resource = package.resource(name, folder)
    catalogue = package.sources(folder)
    sources = []
    for sid in resource.get("source_ids", []):
        entry = catalogue.get(sid, {"id": sid, "title": sid})
        shown = {k: entry[k] for k in ("id", "title", "publisher", "path", "published") if k in entry}
        if isinstance(entry.get("accessed_via"), dict):  # the copy the kit read, kept apart from the original
            shown["accessed_via"] = dict(entry["accessed_via"])
        sources.append(shown)
    publishers = list(dict.fromkeys(s.get("publisher", s["title"]) for s in sources))
    return {
        "name": name,
        "title": resource.get("title", name),
        "description": resource.get("description", ""),
        "as_of": resource.get("as_of"),
        "review_by": resource.get("review_by"),
        "review_policy": resource.get("review_policy"),
        "licenses": resource.get("licenses", []),
        "publishers": publishers,
        "sources": sources,
        "notes": resource.get("notes", []),
        "citation": cite(name, folder),
    }


def cite(name: str, folder=None) -> str:
    """The text to cite a dataset with: its own ``citation``, else its title, main publishers and date."""
    resource = package.resource(name, folder)
    if resource.get("citation"):
        return resource["citation"]
    shown = "; ".join(publishers := main_publishers(resource, folder))
    catalogue = package.sources(folder)  # once, not once per source id (kit.load cites on every call)
    more = len({catalogue.get(s, {}).get("publisher", s) for s in resource.get("source_ids", [])}) > len(publishers)
    return f"{resource.get('title', name)}. Compiled from: {shown}{'; and others' if more else ''}. Data as of {resource.get('as_of')}."


def _stamp(path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0)
    return (stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _source_uses(path: str, mtime_ns: int, size: int) -> dict[str, int]:
    """How many rows of a CSV cite each source id (read once per state of the file: kit.load calls cite)."""
    uses: dict[str, int] = {}
    if size or mtime_ns:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                for sid in (row.get("source_ids") or "").split(";"):
                    uses[sid] = uses.get(sid, 0) + 1
    return uses


def main_publishers(resource: dict, folder=None, limit: int = 6) -> list[str]:
    """The original publishers a dataset rests on most: those read in official copies first, then wire, then press,
    each by the number of rows citing them. Publishers known only from weak copies are left out of a citation."""
    catalogue = package.sources(folder)
    path = package.data_dir(folder) / resource["path"]
    uses = _source_uses(str(path), *(_stamp(path)))
    best: dict[str, tuple] = {}
    for sid in resource.get("source_ids", []):
        entry = catalogue.get(sid, {})
        tier = (entry.get("accessed_via") or {}).get("tier") if isinstance(entry.get("accessed_via"), dict) else None
        if tier not in _TIER_RANK:
            continue
        publisher = entry.get("publisher", sid)
        rank = (_TIER_RANK[tier], -uses.get(sid, 0))
        best[publisher] = min(best.get(publisher, rank), rank)
    return sorted(best, key=lambda p: best[p])[:limit]
