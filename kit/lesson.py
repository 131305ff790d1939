"""The lesson template: stored once in each notebook's metadata, shown at its top and end.

Every lesson notebook carries ``metadata["lesson"]``::

    {"title": ..., "objectives": [...], "questions": [...], "prerequisites": [...],
     "teaching_minutes": 25, "exercise_minutes": 20, "key_points": [...],
     "datasets": ["defence_spending", ...], "resources": [...],
     "exercises": ["Exercise 1, ..."]}          # optional: the exercise notebooks that go with it

With ``exercises`` (a list, empty for none), ``exercise_minutes`` is the time for the lesson's
**Discuss** prompts, and the header names the exercise notebooks (see :func:`time_text`).

The first code cell shows it with ``kit.lesson.header("02_defence_spending")``; the last
shows the key points and the sources (generated from the datasets' provenance) with
``kit.lesson.footer("02_defence_spending", facts)``. Key points may hold ``{placeholders}``
filled from ``facts``, a dict the notebook computes from the data, so no figure is typed by
hand::

    >>> t = template("02_defence_spending")
    >>> set(FIELDS) <= set(t) <= set(FIELDS) | set(OPTIONAL)
    True
    >>> header("02_defence_spending").data.splitlines()[0]
    "# Defence spending: NATO's targets and who meets them"
    >>> footer("02_defence_spending", {}).data
    Traceback (most recent call last):
    ...
    kit.errors.KitError: 02_defence_spending.ipynb: key point 1 needs the fact {two}; compute it in the notebook and pass it in facts={...}

``md(text)`` displays Markdown built in a code cell (e.g. an f-string of computed figures).

Generated prose uses the helpers below, so that every sentence is complete and grammatical
whatever the data holds (zero, one, all, ties, unknowns): :func:`tally`, :func:`count`,
:func:`listing`, :func:`sentence`; :func:`find` picks one row of a timeline and fails loudly
when the data has none or several; :func:`events` lists dated events without repeating a
label; :func:`student_text` keeps data-cleaning remarks out of what students read.
"""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from .errors import KitError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
# field -> (type, what it holds)
FIELDS = {
    "title": (str, "the lesson's title"),
    "objectives": (list, "learning objectives: what students will be able to do"),
    "questions": (list, "the questions the lesson answers"),
    "prerequisites": (list, "what to know or have done before"),
    "teaching_minutes": (int, "minutes of teaching"),
    "exercise_minutes": (int, "minutes of exercises and discussion (with 'exercises': minutes for the lesson's Discuss prompts)"),
    "key_points": (list, "what to remember; may hold {placeholders} filled from facts"),
    "datasets": (list, "the kit datasets the lesson uses (their sources are listed at the end)"),
    "resources": (list, "further reading and related lessons"),
}
# optional fields: checked when present
OPTIONAL = {
    "exercises": (list, "the exercise notebooks that go with the lesson, named in words (empty: none; the Discuss prompts are the exercise)"),
}


def _path(notebook) -> Path:
    name = str(notebook)
    if not name.endswith(".ipynb"):
        name += ".ipynb"
    for candidate in (Path(name), Path.cwd() / name, NOTEBOOKS / Path(name).name):
        if candidate.is_file():
            return candidate
    raise KitError(f"no notebook {name} here ({Path.cwd()}) or in {NOTEBOOKS}")


def validate(meta: dict, where: str = "lesson") -> list[str]:
    """Problems with a lesson template (an empty list when it is complete).

    >>> validate({"title": "x"})[0]
    "lesson: metadata['lesson'] has no 'objectives' (learning objectives: what students will be able to do)"
    >>> [p for p in validate({"title": "x", "exercises": "none"}) if "['exercises']" in p]
    ["lesson: metadata['lesson']['exercises'] should be a list, not str"]
    """
    problems = []
    for field, (kind, what) in {**FIELDS, **OPTIONAL}.items():
        if field not in meta:
            if field in FIELDS:
                problems.append(f"{where}: metadata['lesson'] has no {field!r} ({what})")
        elif not isinstance(meta[field], kind) or isinstance(meta[field], bool):
            problems.append(f"{where}: metadata['lesson'][{field!r}] should be a {kind.__name__}, not {type(meta[field]).__name__}")
        elif kind is list and field not in ("prerequisites", "resources", "exercises") and not meta[field]:
            problems.append(f"{where}: metadata['lesson'][{field!r}] is empty ({what})")
    for field in sorted(set(meta) - set(FIELDS) - set(OPTIONAL)):
        problems.append(f"{where}: metadata['lesson'] has an unknown field {field!r} (known: {', '.join([*FIELDS, *OPTIONAL])})")
    return problems


def template(notebook) -> dict:
    """The lesson template of ``notebook`` (a path or a name such as ``"02_defence_spending"``)."""
    path = _path(notebook)
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("lesson")
    except json.JSONDecodeError as err:
        raise KitError(f"{path.name}: not a valid notebook (line {err.lineno}: {err.msg})") from None
    if meta is None:
        raise KitError(f"{path.name}: no lesson template in its metadata (metadata['lesson'])")
    problems = validate(meta, path.name)
    if problems:
        raise KitError("\n".join(problems))
    return meta


# --- sentences drafted from data -------------------------------------------------------------
# Descriptions and lesson prose are generated: these helpers keep them complete and grammatical
# for zero, one, all, ties and unknowns ("all 30 Allies ... were", never "30 of the 30 ... were.").

_PLURALS = {"Allies": "Ally", "countries": "country", "states": "state", "members": "member",
            "participants": "participant", "events": "event", "votes": "vote", "values": "value",
            "lists": "list", "parties": "party", "figures": "figure", "datasets": "dataset"}


def listing(items, limit: int | None = 6, *, empty: str = "none") -> str:
    """Items as prose: ``A``, ``A and B``, ``A, B and C``; past ``limit`` items, ``... and 2 more``.

    >>> listing([]), listing(["Poland"]), listing(["Poland", "Latvia"]), listing(["a", "b", "c"])
    ('none', 'Poland', 'Poland and Latvia', 'a, b and c')
    >>> listing(list("abcdefgh"), 6)
    'a, b, c, d, e, f and 2 more'
    >>> listing([], empty="no country")
    'no country'
    """
    items = [str(i) for i in items]
    if limit is not None and len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return items[0] if items else empty


def singular(group: str) -> str:
    """The singular of a plural noun phrase (its first word): ``Allies with a figure`` -> ``Ally with a figure``.

    >>> singular("Allies with a figure"), singular("countries"), singular("lists that won seats")
    ('Ally with a figure', 'country', 'list that won seats')
    """
    first, _, rest = str(group).partition(" ")
    one = _PLURALS.get(first) or (first[:-3] + "y" if first.endswith("ies") else first[:-1] if first.endswith("s") else first)
    return (one + " " + rest).strip()


def tally(n: int, total: int, group: str, predicate: str, *, one: str | None = None, tense: str = "past") -> str:
    """How many of ``total`` (a plural noun phrase, ``group``) satisfy ``predicate``, as a clause
    that reads right for zero, one, some, all and an empty group.

    >>> g, p = "Allies with a 2025 estimate", "at or above 2%"
    >>> tally(30, 30, g, p)
    'all 30 Allies with a 2025 estimate were at or above 2%'
    >>> tally(23, 30, g, p)
    '23 of the 30 Allies with a 2025 estimate were at or above 2%'
    >>> tally(1, 30, g, p)
    '1 of the 30 Allies with a 2025 estimate was at or above 2%'
    >>> tally(0, 30, g, p)
    'none of the 30 Allies with a 2025 estimate was at or above 2%'
    >>> tally(2, 2, g, p, tense="present")
    'both Allies with a 2025 estimate are at or above 2%'
    >>> tally(1, 1, g, p), tally(0, 1, g, p)
    ('the only Ally with a 2025 estimate was at or above 2%', 'the only Ally with a 2025 estimate was not at or above 2%')
    >>> tally(0, 0, g, p)
    'there were no Allies with a 2025 estimate'
    """
    n, total = int(n), int(total)
    if n < 0 or n > total:
        raise ValueError(f"tally: {n} of {total} is not a count")
    was, were = ("was", "were") if tense == "past" else ("is", "are")
    one = one or singular(group)
    if total == 0:
        return f"there {were} no {group}"
    if total == 1:
        return f"the only {one} {was} {predicate}" if n == 1 else f"the only {one} {was} not {predicate}"
    if n == total:
        return f"{'both' if total == 2 else f'all {total}'} {group} {were} {predicate}"
    if n == 0:
        return f"none of the {total} {group} {was} {predicate}"
    return f"{n} of the {total} {group} {was if n == 1 else were} {predicate}"


def count(n: int, group: str, *, one: str | None = None, none: str = "no") -> str:
    """``n`` and a noun in the right number: ``no Allies``, ``1 Ally``, ``3 Allies``.

    >>> count(0, "Allies"), count(1, "Allies"), count(3, "Allies with no figure")
    ('no Allies', '1 Ally', '3 Allies with no figure')
    """
    n = int(n)
    if n == 0:
        return f"{none} {group}"
    return f"1 {one or singular(group)}" if n == 1 else f"{n} {group}"


def sentence(text: str) -> str:
    """A clause made a sentence: capital first letter, one full stop.

    >>> sentence("all 30 Allies were at or above 2%"), sentence("Done."), sentence("  ")
    ('All 30 Allies were at or above 2%.', 'Done.', '')
    """
    text = str(text).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."



_CLEANING = re.compile(r"\b(left empty|leave empty|kept empty|flag inferred|the cell|cells? (?:is |are )?(?:left )?blank|"
                       r"fill(?:ed)? (?:in )?the gaps?|not used to fill|recoded|row's note)\b", re.I)
_CLEANING_LEAD = re.compile(r"^(?:[^.:;]{0,40}\b(?:left|kept) empty|coded (?:as )?[a-z_]+)[:.]\s*", re.I)
_COLUMN_NAME = re.compile(r"(?<!`)\b[a-z]+(?:_[a-z]+)+\b(?!`)")   # a raw column name, not a `code span`


def student_text(text) -> str:
    """A data note as students should read it: remarks on how the data file was kept
    ("Left empty.", "Estimate flag inferred.", "the cell blank") are dropped, and a leading
    "Left empty:" is cut; the rest is kept word for word.

    >>> student_text("No 2025 figure in this edition: NATO published none (AFP). Left empty.")
    'No 2025 figure in this edition: NATO published none (AFP).'
    >>> student_text("Left empty: NATO published no estimate (AFP). Both transcriptions have the cell blank.")
    'NATO published no estimate (AFP).'
    >>> student_text("Rounded to one decimal in the press report; single source (Politico). Estimate flag inferred.")
    'Rounded to one decimal in the press report; single source (Politico).'
    >>> student_text("Number of voters left empty: the total is probably the valid-vote base.")
    'The total is probably the valid-vote base.'
    >>> student_text("Coded conditional: the PM did not rule it out (first_reported inferred).")
    'The PM did not rule it out (first reported inferred).'
    >>> student_text(None)
    ''
    """
    if text is None or (not isinstance(text, str) and text != text):
        return ""
    parts = []
    for part in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", str(text).strip()):
        part = _COLUMN_NAME.sub(lambda m: m.group(0).replace("_", " "), _CLEANING_LEAD.sub("", part)).strip()
        if part and not _CLEANING.search(part):
            parts.append(part[0].upper() + part[1:])
    return " ".join(parts).strip()


def _words(text: str) -> str:
    return re.sub(r"[^\w%]+", " ", str(text)).strip().lower()


def find(frame, *words, column: str = "event", where: str | None = None):
    """The one row of ``frame`` whose ``column`` contains every one of ``words`` (any case).

    Lessons read facts from the data this way; when the data has no such row, or several,
    the lesson stops with a message rather than print something wrong:

    >>> import kit
    >>> find(kit.load("security_timeline"), "Budapest Memorandum").date.year
    1994
    >>> find(kit.load("security_timeline"), "no such event")
    Traceback (most recent call last):
    ...
    kit.errors.KitError: security_timeline: no row whose event contains 'no such event'; update the data or the lesson
    """
    rows = find_all(frame, *words, column=column)
    name = where or frame.attrs.get("provenance", {}).get("name", "the data")
    wanted = " and ".join(repr(w) for w in words)
    if rows.empty:
        raise KitError(f"{name}: no row whose {column} contains {wanted}; update the data or the lesson")
    if len(rows) > 1:
        listed = "; ".join(str(v)[:60] for v in rows[column])
        raise KitError(f"{name}: {len(rows)} rows whose {column} contains {wanted} ({listed}); add a word to pick one")
    return rows.iloc[0]


def find_all(frame, *words, column: str = "event"):
    """Every row of ``frame`` whose ``column`` contains all of ``words`` (any case), in order."""
    text = frame[column].fillna("").astype(str).str.lower()
    keep = text == text
    for w in words:
        keep &= text.str.contains(str(w).lower(), regex=False)
    return frame[keep]


def event_text(text, label: str | None = None) -> str:
    """An event's text for a list item: without a leading ``label`` it repeats, as a sentence.

    >>> event_text("White House meeting: Trump hosts Zelensky", "White House meeting")
    'Trump hosts Zelensky.'
    >>> event_text("Paris coalition summit (35 countries): Paris Declaration", "Paris Declaration")
    'Paris coalition summit (35 countries): Paris Declaration.'
    """
    text = str(text).strip()
    if label:
        head, sep, rest = text.partition(":")
        if sep and _words(head) == _words(label):
            text = rest.strip()
    return sentence(text)


def events(rows, column: str = "event", label=None, *, attribute: bool = False) -> str:
    """Dated events as a Markdown list: ``- **5 December 1994:** Event.`` (``label``: a column
    or a function of the row, shown before the date, e.g. ``"category"``). With ``attribute``,
    an event whose text does not name who reported it ends with the original publishers of its
    sources (see :func:`reported_by`).

    >>> import pandas as pd
    >>> print(events(pd.DataFrame({"date": pd.to_datetime(["1994-12-05"]), "event": ["memorandum signed"]})))
    - **5 December 1994:** Memorandum signed.
    """
    lines = []
    for _, row in rows.iterrows():
        name = (label(row) if callable(label) else row[label]) if label is not None else None
        lead = f"{name}, {day(row['date'])}" if name else day(row["date"])
        text = event_text(row[column], name)
        if attribute:
            text = attributed(text, row)
        lines.append(f"- **{lead}:** {text}")
    return "\n".join(lines) if lines else "- none in the data"


SOUND_TIERS = ("official", "wire", "press")   # copies that make a row sound (kit check-data's rule)
_SHORT = {"Associated Press": "AP", "Agence France-Presse": "AFP"}


def row_sources(row, *, sound_only: bool = False) -> list[dict]:
    """The sources a data row cites (its ``source_ids``), from the package's catalogue: each with
    the ORIGINAL publisher, title and date, and the copy the kit read (``copy``, ``tier``).

    >>> import kit
    >>> first = row_sources(find(kit.load("security_timeline"), "Budapest Memorandum"))[0]
    >>> sorted(first)
    ['copy', 'id', 'published', 'publisher', 'tier', 'title']
    """
    from .package import sources as catalogue_of

    catalogue = catalogue_of()
    out = []
    for sid in str(row.get("source_ids") or "").split(";"):
        sid = sid.strip()
        if not sid:
            continue
        entry = catalogue.get(sid, {"id": sid, "title": sid})
        copy = entry.get("accessed_via") if isinstance(entry.get("accessed_via"), dict) else {}
        item = {"id": sid, "publisher": entry.get("publisher") or sid, "title": entry.get("title") or sid,
                "published": entry.get("published"), "copy": copy.get("publisher"), "tier": copy.get("tier")}
        if not sound_only or item["tier"] in SOUND_TIERS:
            out.append(item)
    return out


def _short(publisher: str) -> str:
    """A publisher's name for an attribution: without its bracketed detail.

    >>> _short("Euromaidan Press (reporting Ukraine's Ministry of Foreign Affairs)"), _short("Associated Press")
    ('Euromaidan Press', 'AP')
    """
    name = re.sub(r"\s*\([^)]*\)", "", str(publisher)).strip()
    return _SHORT.get(name, name)


def reported_by(row) -> str:
    """Who published what a row records: the original publishers of its sources that the kit read
    in an official, wire or press copy (all its sources if none was), short names, in order.

    >>> import kit
    >>> reported_by(find(kit.load("security_timeline"), "Istanbul", "delegation"))
    'Reuters and Interfax-Ukraine'
    """
    found = row_sources(row, sound_only=True) or row_sources(row)
    return listing(list(dict.fromkeys(_short(s["publisher"]) for s in found)), None, empty="")


def attributed(text: str, row) -> str:
    """``text`` (a sentence about ``row``) ending ``, as reported by <publishers>.`` when it names none of them.

    >>> import pandas as pd
    >>> attributed("Lavrov says X (AFP, NTB).", {"source_ids": ""})
    'Lavrov says X (AFP, NTB).'
    """
    by = reported_by(row)
    if not by:
        return text
    names = [_short(s["publisher"]) for s in (row_sources(row, sound_only=True) or row_sources(row))]
    aliases = set(names)
    for s in row_sources(row):
        aliases |= set(re.findall(r"\(([^)]*)\)", str(s["publisher"])))
        aliases.add(re.sub(r"\s*\([^)]*\)", "", str(s["publisher"])).strip())
    if any(a and re.search(rf"\b{re.escape(a)}\b", text) for a in aliases):
        return text
    body = text.rstrip()
    end = body[-1] if body and body[-1] in ".!?" else ""
    return f"{body[:-1] if end else body}, as reported by {by}{end or '.'}"


def coverage(data, *, what: str = "events", label: str = "The timeline", date: str = "date") -> str:
    """How current a dated dataset is, in one sentence: its latest event, the date it was last
    checked, and what it leaves out (``data``: a dataset name or a loaded frame).

    >>> print(coverage("security_timeline"))   # doctest: +ELLIPSIS
    The timeline records events up to ...; it was last checked on ...; events after that, or not confirmed by an official text or two reputable outlets, are not in it.
    """
    import pandas as pd

    from .data import load, provenance

    frame = load(data) if isinstance(data, str) else data
    prov = frame.attrs.get("provenance") or (provenance(data) if isinstance(data, str) else {})
    dates = pd.to_datetime(frame[date]).dropna()
    if dates.empty:
        raise KitError(f"coverage: {prov.get('name', 'the data')} has no dated {what}")
    checked = f"; it was last checked on {day(pd.Timestamp(prov['as_of']))}" if prov.get("as_of") else ""
    return (f"{label} records {what} up to {day(dates.max())}{checked}; {what} after that, or not confirmed by an "
            "official text or two reputable outlets, are not in it.")


def screen_only(text: str):
    """Markdown for readers on a screen only (how to use a slider, a legend, a tooltip): the
    handout's print stylesheet hides it, since paper has no slider.

    The text becomes one HTML block (rendered here, with no blank line inside): a Markdown
    ``<div>`` wrapped around Markdown paragraphs would not survive the handout's renderer,
    which parses each HTML block on its own. In a Markdown cell, write the same by hand:
    ``<p class="kit-screen-only">On screen, move the <strong>Year</strong> slider.</p>``.

    >>> print(screen_only("Move the **Year** slider.").data)
    <div class="kit-screen-only"><p>Move the <strong>Year</strong> slider.</p></div>
    """
    try:
        import mistune

        inner = mistune.html(str(text).strip())
    except ImportError:   # pragma: no cover - mistune comes with nbconvert
        import html

        inner = "<p>" + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html.escape(str(text).strip())) + "</p>"
    inner = re.sub(r"\n\s*\n", "\n", inner).strip()
    return md(f'<div class="{SCREEN_ONLY}">{inner}</div>')


SCREEN_ONLY = "kit-screen-only"   # the class the handout's print stylesheet hides


def _bullets(items) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "- none"


def day(date) -> str:
    """A date as prose: ``5 September 2014`` (no leading zero).

    >>> import pandas as pd; day(pd.Timestamp("2014-09-05"))
    '5 September 2014'
    """
    return f"{date.day} {date:%B %Y}"


def as_of(name: str) -> str:
    """The date a dataset was last checked, as prose: for dating political facts in the text.

    >>> import re; bool(re.fullmatch(r"\\d{1,2} [A-Z][a-z]+ \\d{4}", as_of("security_timeline")))
    True
    """
    import pandas as pd

    from .data import provenance

    return day(pd.Timestamp(provenance(name)["as_of"]))


_THE = re.compile(r"(?<![Tt]he )\b(United Kingdom|United States|Netherlands|Czech Republic|European Commission|European Council)\b")


def prose(text: str) -> str:
    """A data value made to read as prose: country names that take "the" get it.

    >>> prose("United Kingdom (Starmer)")
    'the United Kingdom (Starmer)'
    >>> prose("France (Macron), with the United Kingdom (Starmer)")
    'France (Macron), with the United Kingdom (Starmer)'
    """
    return _THE.sub(r"the \1", str(text))


HEADERS = {  # column -> header students read
    "share_gdp_pct": "share of GDP (%)", "core_share_gdp_pct": "core, share of GDP (%)",
    "year_agreed": "year agreed", "date_agreed": "date agreed", "agreed_by": "agreed by",
    "applies_to": "what it measures", "deadline_year": "deadline (year)", "price_basis": "price basis",
    "data_cutoff": "data cut-off", "ground_troops_stance": "stance on sending troops",
    "other_contributions": "other contributions", "reported_participants": "participants, as the sources report them",
    "first_reported": "first reported", "nato_member": "in NATO", "eu_member": "in the EU",
    "as_of": "as of", "review_by": "review by", "review_policy": "kind of review", "overdue": "past review date",
    "vote_pct": "share of valid votes (%)", "alt_vote_pct": "other count stage (%)", "count_stage": "count stage",
    "alt_count_stage": "other count stage", "turnout_pct": "turnout (%)", "seats_total": "seats in parliament",
    "voters_abroad": "voters abroad", "competitor_pct_abroad": "share abroad (%)", "iso3": "ISO code",
    "source_ids": "sources", "usd_current_millions": "US$ million (current)",
}
WEAK_MARK = "\u2020"
WEAK_CAPTION = (f"{WEAK_MARK} Weak source: none of the row's sources was read in an official, wire or press copy. "
                "Treat it with caution.")


def heading(column: str) -> str:
    """The header a table shows for a data column: words, not a raw column name.

    >>> heading("share_gdp_pct"), heading("year_agreed"), heading("title"), heading("some_new_column")
    ('share of GDP (%)', 'year agreed', 'title', 'some new column')
    """
    return HEADERS.get(column, str(column).replace("_", " "))


def table(frame, unknown="unknown", decimals: dict | None = None, headers: dict | None = None):
    """A table for students: no index, readable headers, dates as prose, and words (not NaN or
    NaT) in empty cells.

    ``unknown`` is the text of an empty cell, or a dict by column for columns where a value
    cannot exist (``{"share_gdp_pct": "not a share of GDP", "deadline": "not applicable"}``;
    other columns keep "unknown"). Numbers keep their digits (``2.5``, ``2035``);
    ``decimals={"column": 2}`` fixes a column's decimals; ``headers`` renames columns.
    A ``weak_source`` column becomes a mark on the row (a dagger after its first cell) and a
    caption that says what it means:

    >>> import pandas as pd
    >>> t = table(pd.DataFrame({"edition": ["a", "b"], "published": pd.to_datetime(["2024-06-17", None]),
    ...                         "share_gdp_pct": [3.5, None]}), unknown={"published": "not recorded", "share_gdp_pct": "not a share of GDP"})
    >>> t.data.to_dict("records")
    [{'edition': 'a', 'published': '17 June 2024', 'share of GDP (%)': '3.5'}, {'edition': 'b', 'published': 'not recorded', 'share of GDP (%)': 'not a share of GDP'}]
    >>> w = table(pd.DataFrame({"event": ["x", "y"], "weak_source": [False, True]}))
    >>> w.data["event"].tolist(), w.caption.startswith(WEAK_MARK + " Weak source")
    (['x', 'y \u2020'], True)
    >>> table(pd.DataFrame({"event": ["x"], "weak_source": [False]})).caption is None
    True
    """
    import pandas as pd

    decimals = decimals or {}
    headers = headers or {}
    default = unknown if isinstance(unknown, str) else "unknown"
    by_column = unknown if isinstance(unknown, dict) else {}
    weak = None
    if "weak_source" in frame.columns:
        weak = [bool(v) if not pd.isna(v) else False for v in frame["weak_source"].tolist()]
        frame = frame.drop(columns=["weak_source"])
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        series = frame[col].reset_index(drop=True)
        is_date = pd.api.types.is_datetime64_any_dtype(series)
        is_bool = pd.api.types.is_bool_dtype(series)
        is_float = pd.api.types.is_float_dtype(series)
        empty = by_column.get(col, default)

        def text(v, col=col, empty=empty, is_date=is_date, is_bool=is_bool, is_float=is_float):
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                return empty
            if is_date:
                return day(v)
            if is_bool:
                return "yes" if v else "no"
            if is_float:
                return f"{v:.{decimals[col]}f}" if col in decimals else f"{v:g}"
            return str(v)
        out[headers.get(col, heading(col))] = [text(v) for v in series]
    if weak is not None and len(out.columns) and any(weak):
        first = out.columns[0]
        out[first] = [f"{v} {WEAK_MARK}" if w else v for v, w in zip(out[first], weak, strict=True)]
    styler = out.style.hide(axis="index")
    if weak is not None and any(weak):
        styler = styler.set_caption(WEAK_CAPTION)
    return styler


def md(text: str):
    """Markdown to display, e.g. built from computed figures: ``md(f"... {share:.2f}% ...")``."""
    from IPython.display import Markdown

    return Markdown(text)


def time_text(t: dict) -> str:
    """The lesson's time, in words: teaching, the Discuss prompts, and the exercise notebooks that go with it.

    A template with ``exercises`` (a list, possibly empty) counts ``exercise_minutes`` as the time
    for its Discuss prompts and names the exercise notebooks; one without keeps the older wording:

    >>> print(time_text({"teaching_minutes": 30, "exercise_minutes": 15, "exercises": ["Exercise 1, *Targets*"]}))
    **Time:** about 30 minutes of teaching and 15 minutes for the **Discuss** prompts.
    <BLANKLINE>
    **Exercise to go with it:** Exercise 1, *Targets* (a separate notebook with Python tasks, timed separately).
    >>> print(time_text({"teaching_minutes": 30, "exercise_minutes": 15, "exercises": []}))
    **Time:** about 30 minutes of teaching and 15 minutes for the **Discuss** prompts. No exercise notebook goes with this lesson: its Discuss prompts are its exercises.
    >>> time_text({"teaching_minutes": 30, "exercise_minutes": 20})
    '**Time:** about 30 minutes of teaching and 20 minutes of exercises and discussion.'
    """
    if "exercises" not in t:
        return (f"**Time:** about {t['teaching_minutes']} minutes of teaching and {t['exercise_minutes']} minutes of exercises "
                "and discussion.")
    text = f"**Time:** about {t['teaching_minutes']} minutes of teaching"
    text += f" and {t['exercise_minutes']} minutes for the **Discuss** prompts." if t["exercise_minutes"] else "."
    items = list(t["exercises"])
    if not items:
        return text + " No exercise notebook goes with this lesson: its Discuss prompts are its exercises."
    what = "Exercise to go with it" if len(items) == 1 else "Exercises to go with it"
    kind = "a separate notebook with Python tasks, timed separately" if len(items) == 1 else "separate notebooks with Python tasks, timed separately"
    return text + f"\n\n**{what}:** {listing(items, None)} ({kind})."


def header(notebook):
    """The top of a lesson: title, time, prerequisites, objectives, questions (as Markdown).

    It first enables the chart renderer and theme for where the lesson runs (live, handout, grading)."""
    from .charts import render
    render.enable()
    t = template(notebook)
    lines = [f"# {t['title']}", "", time_text(t), "",
             "**Before this lesson:** " + ("; ".join(t["prerequisites"]) if t["prerequisites"] else "nothing."), "",
             "**By the end you will be able to:**", "", _bullets(t["objectives"]), "",
             "**Questions this lesson answers:**", "", _bullets(t["questions"])]
    return md("\n".join(lines))


def _fill(text: str, facts: dict, where: str) -> str:
    for _, field, _, _ in string.Formatter().parse(text):
        if field and field not in facts:
            raise KitError(f"{where} needs the fact {{{field}}}; compute it in the notebook and pass it in facts={{...}}")
    return text.format(**facts)


def row_publishers(frame) -> list[str]:
    """The ORIGINAL publishers of the rows' sources (each source's ``publisher``, never the copy
    the kit read, ``accessed_via``), the most cited first.

    >>> import kit
    >>> row_publishers(kit.load("military_expenditure"))[:1] == kit.provenance("military_expenditure")["publishers"][:1]
    True
    """
    import pandas as pd

    from .package import sources as catalogue_of

    if not isinstance(frame, pd.DataFrame) or "source_ids" not in frame.columns or frame.empty:
        return []
    try:
        catalogue = catalogue_of()
    except KitError:
        return []
    counts: dict[str, int] = {}
    for ids in frame["source_ids"].dropna():
        seen = set()
        for sid in str(ids).split(";"):
            sid = sid.strip()
            if not sid:
                continue
            for publisher in str(catalogue.get(sid, {}).get("publisher") or sid).split(";"):   # a source may name two
                publisher = publisher.strip()
                if publisher and publisher not in seen:
                    seen.add(publisher)
                    counts[publisher] = counts.get(publisher, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name.lower()))


PUBLISHERS_LISTED = 5


def sources(names) -> str:
    """Markdown list of the datasets: when each was checked, when to check it again, how many
    rows rest on weak sources, and how to cite it (``kit.cite``: its citation names the original
    publishers it was compiled from; a single figure is cited to the publisher in its row's sources).

    >>> print(sources(["military_expenditure"]).splitlines()[0])   # doctest: +ELLIPSIS
    - **SIPRI: military expenditure, 13 countries, 2014-2024**: data as of ...; review by ....
    """
    import pandas as pd

    from .data import load, provenance

    lines = []
    for name in names:
        p = provenance(name)
        try:
            rows = load(name)
        except KitError:
            rows = None
        dates = "; ".join(f"{what} {day(pd.Timestamp(p[key]))}" for what, key in (("data as of", "as_of"), ("review by", "review_by"))
                          if p.get(key))
        lines.append(f"- **{p['title']}**: {dates or 'dates not recorded'}.")
        if rows is not None and "weak_source" in rows.columns:
            weak = int(rows["weak_source"].fillna(False).astype(bool).sum())
            if weak:
                lines.append(f"  {sentence(tally(weak, len(rows), 'rows', 'from weak sources', tense='present'))[:-1]} "
                             f"(no official, wire or press copy read; marked {WEAK_MARK} in tables, charts and tooltips).")
        lines.append(f"  Cite as: {p['citation']}")
    return "\n".join(lines)


def footer(notebook, facts: dict | None = None):
    """The end of a lesson: key points (with their facts filled in), sources and how to cite."""
    t = template(notebook)
    facts = dict(facts or {})
    name = _path(notebook).name
    points = [_fill(p, facts, f"{name}: key point {i}") for i, p in enumerate(t["key_points"], 1)]
    lines = ["## Key points", "", _bullets(points), "", "## Sources", "",
             "The data behind this lesson, with the date each dataset was last checked (\"as of\"). "
             "After the review date, look for newer figures before teaching from it. Cite a dataset as a whole with its "
             "\"Cite as\" line, which names the publishers it was compiled from; cite a single figure or event to its "
             "original publisher, named in the row's sources.", "",
             sources(t["datasets"])]
    if t["resources"]:
        lines += ["", "## Further reading", "", _bullets(t["resources"])]
    return md("\n".join(lines))
