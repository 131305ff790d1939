"""The package's curation rules: sources, their tiers, weak-source flags and review dates.

- every source names its original ``publisher`` and, in ``accessed_via``, the copy the kit
  read (title, publisher, address) with its ``tier`` (one of :data:`TIERS`), judged on
  that copy, not on whom it credits;
- a row is soundly sourced when at least one of its sources was read in an ``official``,
  ``wire`` or ``press`` copy (:data:`SOUND_TIERS`); otherwise its ``weak_source`` column
  must say ``true``, so that every chart and table that shows the row can flag it (and
  ``false`` otherwise, so the flag never cries wolf);
- every resource declares ``review_policy``: ``political`` data must be reviewed at most
  :data:`POLITICAL_REVIEW_MONTHS` months after its ``as_of`` date; ``publication`` data (a
  fixed edition) may wait longer, saying why in ``review_note``.

    >>> for line in check_dates({"name": "x", "as_of": "2026-12-01", "review_by": "2027-06-01",
    ...                          "review_policy": "political"}, "datapackage.json"):
    ...     print(line)
    datapackage.json, resource x, column review_by: '2027-06-01': expected at most 4 months after as_of 2026-12-01 (by 2027-04-01), since its review_policy is political
"""

from __future__ import annotations

import calendar
import datetime as dt

from .problems import Problem, problem
from .table import parse, split_ids

#: Where the kit read a source, judged on the copy read (``accessed_via.tier``).
TIERS = {
    "official": "the publisher's own site or document (nato.int, gov.uk, cec.md, a court), or an unaltered copy of its file",
    "wire": "a news agency's copy (Reuters, AFP, AP, dpa, ...)",
    "press": "an independent newspaper or broadcaster",
    "state-affiliated": "media under a government's editorial control (TASS, Sputnik, ...)",
    "aggregator": "a site that repackages others' reports (aggregators, summary services, machine-made digests)",
    "wiki-copy": "Wikipedia or a copy of it",
    "other": "anything else (a transcription on GitHub, a blog, a teaching file)",
}
#: A row needs at least one source read in one of these tiers, or ``weak_source = true``.
SOUND_TIERS = ("official", "wire", "press")
REVIEW_POLICIES = ("political", "publication")
POLITICAL_REVIEW_MONTHS = 4


def _where_source(file, index, source) -> str:
    return f"{file}, sources[{index}] ({source.get('id') or 'no id'})"


def check_sources(meta: dict, file: str) -> list[Problem]:
    """The source catalogue: unique ids, an original publisher, and the copy read with its tier."""
    problems, seen = [], {}
    for index, source in enumerate(meta.get("sources", [])):
        where = _where_source(file, index, source)
        sid = source.get("id")
        if not sid:
            problems.append(Problem(f"{where}: expected an \"id\""))
        elif sid in seen:
            problems.append(Problem(f"{where}: id {sid!r}: expected a unique id (sources[{seen[sid]}] has the same)"))
        else:
            seen[sid] = index
        for key in ("title", "publisher"):
            if not str(source.get(key) or "").strip():
                problems.append(Problem(f"{where}: expected a {key!r} (the original {'item' if key == 'title' else 'publisher'})"))
        via = source.get("accessed_via")
        if not isinstance(via, dict):
            problems.append(Problem(f"{where}, accessed_via: {via!r}: expected an object naming the copy the kit read "
                                    f"(title, publisher, path, tier)"))
            continue
        if not str(via.get("title") or via.get("publisher") or "").strip():
            problems.append(Problem(f"{where}, accessed_via: expected the title or publisher of the copy read"))
        if via.get("tier") not in TIERS:
            problems.append(Problem(f"{where}, accessed_via.tier: {via.get('tier')!r}: expected one of {', '.join(TIERS)}"))
    return problems


def _add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clipped to the month's last day.

    >>> _add_months(dt.date(2026, 10, 31), 4)
    datetime.date(2027, 2, 28)
    """
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_dates(resource: dict, file: str) -> list[Problem]:
    """A resource's review policy and dates: as_of, review_by, and how far apart they may be."""
    name, problems = resource.get("name"), []
    where = f"{file}, resource {name}"
    dates = {}
    for key in ("as_of", "review_by"):
        value = resource.get(key)
        try:
            dates[key] = parse(str(value), "date") if value else None
        except ValueError:
            dates[key] = None
        if dates[key] is None:
            problems.append(problem(where, None, key, "" if value is None else str(value), "a date written YYYY-MM-DD"))
    policy = resource.get("review_policy")
    if policy not in REVIEW_POLICIES:
        problems.append(problem(where, None, "review_policy", "" if policy is None else str(policy),
                                "political (facts that change) or publication (a fixed edition)"))
    as_of, review_by = dates.get("as_of"), dates.get("review_by")
    if as_of and review_by:
        if review_by <= as_of:
            problems.append(problem(where, None, "review_by", review_by.isoformat(), f"a date after as_of ({as_of.isoformat()})"))
        latest = _add_months(as_of, POLITICAL_REVIEW_MONTHS)
        if policy == "political" and review_by > latest:
            problems.append(problem(where, None, "review_by", review_by.isoformat(),
                                    f"at most {POLITICAL_REVIEW_MONTHS} months after as_of {as_of.isoformat()} "
                                    f"(by {latest.isoformat()}), since its review_policy is political"))
    if "superseded_by" in resource and not (isinstance(resource["superseded_by"], str) and resource["superseded_by"].strip()):
        problems.append(problem(where, None, "superseded_by", str(resource["superseded_by"]),
                                "the newer edition, named in words (or no superseded_by at all)"))
    if policy == "publication" and not str(resource.get("review_note") or "").strip():
        problems.append(problem(where, None, "review_note", "",
                                "a review_note saying why this publication can wait until its review_by date"))
    return problems


def check_weak_source(table, tier_of) -> list[Problem]:
    """``weak_source`` is true exactly when none of a row's sources was read in a sound copy."""
    if not any(f["name"] == "weak_source" for f in table.fields):
        return [problem(table.file, 1, "weak_source", None,
                        "a weak_source column (true when none of the row's sources was read in an "
                        f"{', '.join(SOUND_TIERS[:-1])} or {SOUND_TIERS[-1]} copy), since the table has source_ids")]
    problems = []
    for row in table.rows:
        ids = split_ids(row.get("source_ids"))
        if not ids:
            continue
        weak = not any(tier_of.get(sid) in SOUND_TIERS for sid in ids)
        flag = row.get("weak_source")
        if flag is None or flag == weak:
            continue
        read = ", ".join(f"{sid} ({tier_of.get(sid) or 'no tier'})" for sid in ids)
        if weak:
            expected = (f"true: none of its sources was read in an {', '.join(SOUND_TIERS)} copy ({read}); "
                        "find a better source, or keep the flag so readers see it")
        else:
            expected = f"false: at least one of its sources was read in a sound copy ({read})"
        problems.append(problem(table.file, row["__row__"], "weak_source", "true" if flag else "false", expected))
    return problems
