"""Where a chart's data comes from, carried inside its spec: the source line, ``finish()``, NATO editions.

Every builder ends with :func:`finish`, which wraps the chart with its source line (publisher,
dataset and "as of" date, drawn under the chart so it survives export and print), its
description (what screen readers announce) and both again in ``usermeta["kit"]`` for the
handout renderer. A frame that lost its provenance (some pandas operations drop ``attrs``)
is refused, not charted without a source.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from ..errors import KitError
from .frames import one_edition, require
from .prose import day, row_publishers
from .theme import MUTED

SOURCE_CHARS = 100   # the source line wraps at this many characters


def provenance_of(df: pd.DataFrame, given, builder: str) -> dict:
    """The provenance of ``df``: ``given`` (a dict or a dataset name) or ``df.attrs``."""
    if isinstance(given, str):
        from ..data import provenance as lookup
        given = lookup(given)
    prov = given if given is not None else getattr(df, "attrs", {}).get("provenance")
    if not prov:
        raise KitError(
            f'{builder}: the data has no provenance (df.attrs["provenance"] is missing). Some pandas '
            "operations drop it; pass it explicitly, e.g. provenance=\"defence_spending\" or "
            "provenance=kit.provenance(\"defence_spending\").")
    missing = [k for k in ("title", "as_of") if not prov.get(k)]
    if missing or not (prov.get("publishers") or prov.get("publisher_summary")):
        raise KitError(f"{builder}: the provenance lacks {', '.join(missing) or 'publishers'}: a chart needs "
                       "a publisher and an 'as of' date to show its source.")
    return scoped(prov, df)


PUBLISHERS_SHOWN = 3   # a source line names this many publishers, then "and others"


def scoped(prov: dict, frame) -> dict:
    """``prov`` with the publishers of the rows in ``frame`` (when it has ``source_ids``), for a
    source line that names who published what the chart shows."""
    names = row_publishers(frame) if isinstance(frame, pd.DataFrame) else []
    return {**prov, "row_publishers": names} if names else prov


def _publishers(prov: dict) -> str:
    """The publishers a source line names: those of the rows shown, else the dataset's
    (both from each source's ``publisher``, the original publisher)."""
    names = list(prov.get("row_publishers") or prov.get("publishers") or [])
    if not names:
        return str(prov.get("publisher_summary") or "")
    shown = names[:PUBLISHERS_SHOWN]
    return "; ".join(shown) + ("; and others" if len(names) > len(shown) else "")


def source_line(*provenances: dict) -> str:
    """The text drawn under a chart: publisher, dataset and "as of" date of each dataset used.

    The publishers are the original ones (a source's ``publisher``), not the copy read:

    >>> import kit
    >>> line = source_line(kit.provenance("military_expenditure"))
    >>> p = kit.provenance("military_expenditure")
    >>> line.startswith("Source: ") and line.endswith(f"{p['title']}. Data as of {p['as_of']}.")
    True
    >>> source_line({"title": "T", "as_of": "2026-01-01", "publishers": ["A", "B", "C", "D"]})
    'Source: A; B; C; and others. T. Data as of 2026-01-01.'
    """
    parts = []
    for prov in provenances:
        parts.append(f"{_publishers(prov)}. {prov['title']}. Data as of {prov['as_of']}.")
    return "Source: " + " | ".join(parts) if len(parts) == 1 else "Sources: " + " | ".join(parts)


def finish(chart, provenance, description: str, *, data=None, builder: str = "chart"):
    """Attach the source line, the description and ``usermeta["kit"]`` to any Altair chart.

    ``provenance`` is one provenance dict, a dataset name, or a list of them. Use it for
    charts of your own, so they carry their sources like the kit's::

        >>> import altair as alt, kit, pandas as pd
        >>> df = kit.load("countries")
        >>> base = alt.Chart(df[["name", "nato_accession_year"]].dropna()).mark_tick().encode(x="nato_accession_year:O")
        >>> spec = finish(base, "countries", "Tick chart of NATO accession years.").to_dict()
        >>> spec["title"]["orient"], spec["usermeta"]["kit"]["description"]
        ('bottom', 'Tick chart of NATO accession years.')
        >>> finish(base, "countries", "  ")
        Traceback (most recent call last):
        ...
        kit.errors.KitError: chart: a chart needs a description (alt text for screen readers), drafted from its data.
    """
    if not description or not str(description).strip():
        raise KitError(f"{builder}: a chart needs a description (alt text for screen readers), drafted from its data.")
    provs = provenance if isinstance(provenance, (list, tuple)) else [provenance]
    if not provs:
        raise KitError(f"{builder}: a chart needs the provenance of its data to show its source.")
    provs = [provenance_of(data if data is not None else pd.DataFrame(), p, builder) for p in provs]
    text = source_line(*provs)
    lines = textwrap.wrap(text, SOURCE_CHARS)
    wrapped = alt.vconcat(chart).properties(
        title=alt.TitleParams(text=lines, orient="bottom", anchor="start", fontSize=10.5, fontWeight="normal",
                              color=MUTED, offset=12, lineHeight=14),
        description=str(description).strip(),
        usermeta={"kit": {"source": text, "description": str(description).strip(),
                          "datasets": [p.get("name") for p in provs if p.get("name")]},
                  "embedOptions": {"renderer": "svg", "actions": {"export": True, "source": False,
                                                                  "compiled": False, "editor": False}}},
    )
    return wrapped


def edition_provenance(prov: dict, editions) -> dict:
    """``prov`` narrowed to the NATO edition(s) a chart shows, for its source line.

    A chart of the August 2025 edition cites that edition, not the whole dataset's summary:

    >>> import kit
    >>> p = edition_provenance(kit.provenance("defence_spending"), ["NATO-2025-08"])
    >>> p["editions"], "(edition NATO-2025-08). Data as of" in source_line(p)
    (['NATO-2025-08'], True)

    The publisher named is the original publisher of the editions shown (the ``publisher``
    of the ``nato_editions`` rows' sources), never the copy the kit read. Editions not in
    the ``nato_editions`` data leave ``prov`` as it is.
    """
    editions = [e for e in dict.fromkeys(editions or []) if e]
    if not editions:
        return prov
    try:
        from ..data import load
        table = load("nato_editions").set_index("edition")
    except KitError:
        return prov
    if any(e not in table.index for e in editions):
        return prov
    parts = []
    for e in editions:
        row = table.loc[e]
        when = day(row["published"]) if pd.notna(row["published"]) else "publication date not recorded"
        parts.append(f"{row['title']}, {when} (edition {e})")
    publishers = row_publishers(table.loc[editions].reset_index()) or ["NATO"]
    return {**prov, "row_publishers": publishers, "title": "; ".join(parts), "editions": editions}


def series_provenance(spending: pd.DataFrame, provenance, builder: str) -> tuple[dict, str | None]:
    """Check a one-series spending frame; return its provenance (naming the NATO edition shown) and the edition."""
    require(spending, ["country", "year", "share_gdp_pct"], builder)
    edition = one_edition(spending, builder)
    return edition_provenance(provenance_of(spending, provenance, builder), [edition]), edition
