"""A perturbed copy of the data package, so that answers typed in as literals cannot pass the grade.

    copy = perturbed_copy(Path("data"), seed=1234, out=Path("/tmp/kit-perturbed"))
    # run the solutions and each submission again with KIT_DATA_DIR=copy; a mark needs both runs right
    table = protection(expected["01_spending_targets"], expected_on_copy["01_spending_targets"])
    # {"q1": "protected: ...", "q3": "unprotected", ...}

The copy's values move within plausible ranges (figures scaled by a few per cent, dates and
deadlines shifted, a few rows dropped or relabelled, rows reordered where no question relies
on their order). What moves is declared in :data:`MOVES` (dataset, column, kind, size),
never in code that names a dataset. Cross-table rules keep holding: shares that add up to
about 100 are renormalised to their old total, values that repeat on every row of a group
move together, and numbers stay within their schema's ``minimum``/``maximum``. The copy
passes ``python -m kit check-data <copy>`` (its hashes are recorded afresh). The same seed
gives the same bytes. The copy is made for grading only and never shipped.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..data.validate import update_hashes
from ..errors import KitError


@dataclass(frozen=True)
class Move:
    """One perturbation: ``kind`` applied to ``column`` of ``dataset``; ``label`` names it in reports.

    kinds: ``scale`` (times 1 ± between size/3 and size), ``shares`` (scaled, then renormalised to
    the old total of their ``group``), ``from_share`` (``share`` % of ``base``, else scaled like
    ``factor``), ``shift`` (a whole number or date moved by 1 to ``size``; cells of ``also`` that
    held the old value follow), ``fill`` (in each ``group`` with empty cells, between one and all
    of them get the median of the group, scaled), ``drop`` (in each ``group`` of two rows or more,
    between one and ``fraction`` of its rows removed), ``relabel`` (a ``fraction`` of the rows get
    another value already in the column), ``cross`` (in each ``group``, for each threshold read
    from the ``thresholds`` (dataset, column) whose count of values at or above it has not changed
    yet, one value within ``size`` of it is moved just across it). Each ``group`` that fill, drop
    or cross touches changes, so a count over it changes.
    """

    dataset: str
    column: str
    kind: str
    label: str
    size: float = 0.0
    fraction: float = 0.0
    key: tuple = ()          # columns whose values share one factor (empty: each row its own)
    factor: str = ""         # moves with the same factor name (and key values) move by the same factor
    group: tuple = ()
    share: str = ""
    base: str = ""
    also: tuple = ()
    thresholds: tuple = ()   # (dataset, column) whose values are thresholds questions compare with


FIGURES = "defence spending figures moved by 3-8%"
FILLED = "empty defence spending figures filled"
CROSSED = "a defence spending figure near each target moved across it"
ELECTORATE = "election voters and votes moved by 2-6%"
SHARES = "vote shares moved (each count still adds up)"
ABROAD = "votes abroad moved by 3-8%"
DEADLINES = "target deadlines shifted by 1-3 years"
DATES = "security timeline dates shifted by 1-10 days"
MEMBERS = "coalition members dropped (up to 15% of each membership group)"
STANCES = "coalition stances relabelled (15%)"
REORDERED = "rows reordered"

MOVES = (
    Move("defence_spending", "share_gdp_pct", "fill", FILLED, size=0.08, group=("edition", "year")),
    Move("defence_spending", "share_gdp_pct", "scale", FIGURES, size=0.08),
    Move("defence_spending", "share_gdp_pct", "cross", CROSSED, size=0.5, group=("edition", "year"),
         thresholds=("spending_targets", "share_gdp_pct")),
    Move("defence_spending", "core_share_gdp_pct", "scale", FIGURES, size=0.08),
    Move("defence_spending", "usd_current_millions", "scale", FIGURES, size=0.08),
    Move("spending_targets", "deadline_year", "shift", DEADLINES, size=3, key=("deadline_year",), also=("deadline",)),
    Move("moldova_elections", "registered_voters", "scale", ELECTORATE, size=0.06, key=("election_id",), factor="electorate"),
    Move("moldova_elections", "voters", "scale", ELECTORATE, size=0.06, key=("election_id",), factor="electorate"),
    Move("moldova_elections", "valid_votes", "scale", ELECTORATE, size=0.06, key=("election_id",), factor="electorate"),
    Move("moldova_elections", "vote_pct", "shares", SHARES, size=0.06, group=("result_id",)),
    Move("moldova_elections", "votes", "from_share", ELECTORATE, size=0.06, key=("election_id",), factor="electorate",
         share="vote_pct", base="valid_votes"),
    Move("moldova_diaspora", "voters_abroad", "scale", ABROAD, size=0.08, factor="abroad"),
    Move("moldova_diaspora", "share_of_all_voters_pct", "scale", ABROAD, size=0.08, factor="abroad"),
    Move("moldova_diaspora", "competitor_pct_abroad", "scale", ABROAD, size=0.03),
    Move("moldova_diaspora", "competitor_votes_abroad", "scale", ABROAD, size=0.08),
    Move("security_timeline", "date", "shift", DATES, size=10),
    Move("coalition_members", "", "drop", MEMBERS, fraction=0.15, group=("nato_member", "eu_member")),
    Move("coalition_members", "ground_troops_stance", "relabel", STANCES, fraction=0.15),
)
# Datasets whose row order no question relies on (the answers are compared as sets of rows).
REORDER = ("defence_spending", "coalition_members", "security_timeline", "moldova_diaspora")


def labels() -> list[str]:
    """The perturbations by name, in the order they are applied."""
    return list(dict.fromkeys([m.label for m in MOVES] + [REORDERED]))


def _rng(seed, *parts) -> random.Random:
    return random.Random("|".join(str(p) for p in (seed, *parts)))


def _factor(rng: random.Random, size: float) -> float:
    return 1 + rng.choice((-1, 1)) * rng.uniform(size / 3, size)


def _places(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _fmt(value, places: int) -> str:
    return str(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


class _Table:
    """One CSV file as text cells, with its schema's types and limits."""

    def __init__(self, folder: Path, resource: dict):
        self.path = folder / resource["path"]
        text = self.path.read_text(encoding="utf-8")
        reader = csv.reader(io.StringIO(text, newline=""))
        self.header = next(reader)
        self.rows = [dict(zip(self.header, r, strict=False)) for r in reader]
        self.fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
        self.changed = False

    def clip(self, column: str, value):
        limits = self.fields.get(column, {}).get("constraints", {})
        if "minimum" in limits:
            value = max(value, limits["minimum"])
        if "maximum" in limits:
            value = min(value, limits["maximum"])
        return value

    def number(self, column: str, value: float, like: str) -> str:
        value = self.clip(column, value)
        if self.fields.get(column, {}).get("type") == "integer":
            return str(int(Decimal(repr(float(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        return _fmt(value, _places(like))

    def write(self):
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows([[row.get(c, "") for c in self.header] for row in self.rows])
        self.path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def _keyed(move: Move, row: dict, index: int) -> str:
    return "|".join(row.get(c, "") for c in move.key) if move.key else f"row {index}"


def _scale(t: _Table, move: Move, seed):
    for i, row in enumerate(t.rows):
        if row.get(move.column, "") != "":
            rng = _rng(seed, move.dataset, move.factor or move.column, _keyed(move, row, i))
            row[move.column] = t.number(move.column, float(row[move.column]) * _factor(rng, move.size), row[move.column])


def _shares(t: _Table, move: Move, seed):
    groups: dict = {}
    for i, row in enumerate(t.rows):
        if row.get(move.column, "") != "":
            groups.setdefault(tuple(row.get(c) for c in move.group), []).append(i)
    for members in groups.values():
        old = [Decimal(t.rows[i][move.column]) for i in members]
        places = [_places(t.rows[i][move.column]) for i in members]
        moved = [float(v) * _factor(_rng(seed, move.dataset, move.column, i), move.size) for v, i in zip(old, members, strict=True)]
        total, scale = sum(old), float(sum(old)) / sum(moved) if sum(moved) else 1.0
        new = [Decimal(_fmt(v * scale, p)) for v, p in zip(moved, places, strict=True)]
        widest = max(range(len(new)), key=lambda k: (places[k], new[k]))
        new[widest] += total - sum(new)      # the rounding remainder, so that the group keeps its total
        for i, v, p in zip(members, new, places, strict=True):
            t.rows[i][move.column] = _fmt(t.clip(move.column, float(v)), p)


def _from_share(t: _Table, move: Move, seed):
    for i, row in enumerate(t.rows):
        if row.get(move.column, "") == "":
            continue
        if row.get(move.share, "") != "" and row.get(move.base, "") != "":
            row[move.column] = t.number(move.column, float(row[move.share]) * float(row[move.base]) / 100, "0")
        else:
            rng = _rng(seed, move.dataset, move.factor or move.column, _keyed(move, row, i))
            row[move.column] = t.number(move.column, float(row[move.column]) * _factor(rng, move.size), row[move.column])


def _shift(t: _Table, move: Move, seed):
    is_date = t.fields.get(move.column, {}).get("type") == "date"
    for i, row in enumerate(t.rows):
        old = row.get(move.column, "")
        if old == "":
            continue
        rng = _rng(seed, move.dataset, move.column, _keyed(move, row, i))
        step = rng.choice((-1, 1)) * rng.randint(1, int(move.size))
        new = (date.fromisoformat(old) + timedelta(days=step)).isoformat() if is_date else str(t.clip(move.column, int(old) + step))
        row[move.column] = new
        for other in move.also:
            if row.get(other) == old:
                row[other] = new


def _grouped(t: _Table, columns: tuple) -> dict:
    groups: dict = {}
    for i, row in enumerate(t.rows):
        groups.setdefault(tuple(row.get(c) for c in columns), []).append(i)
    return groups


def _fill(t: _Table, move: Move, seed):
    for key, members in _grouped(t, move.group).items():
        empty = [i for i in members if t.rows[i].get(move.column, "") == ""]
        known = [t.rows[i][move.column] for i in members if t.rows[i].get(move.column, "") != ""]
        if not empty or not known:
            continue
        rng = _rng(seed, move.dataset, "fill", move.column, *key)
        middle, like = statistics.median(map(float, known)), max(known, key=_places)
        for i in sorted(rng.sample(empty, rng.randint(1, len(empty)))):
            t.rows[i][move.column] = t.number(move.column, middle * _factor(rng, move.size), like)


def _drop(t: _Table, move: Move, seed):
    gone: set = set()
    for key, members in _grouped(t, move.group).items():
        if len(members) >= 2:
            rng = _rng(seed, move.dataset, "drop", *key)
            gone.update(rng.sample(members, rng.randint(1, max(1, round(move.fraction * len(members))))))
    t.rows = [row for i, row in enumerate(t.rows) if i not in gone]


def _cross(t: _Table, move: Move, seed):
    other = _Table(t.path.parent, t.resources[move.thresholds[0]])
    limits = sorted({Decimal(r[move.thresholds[1]]) for r in other.rows if r.get(move.thresholds[1], "")})
    before = _Table(t.path.parent, t.resources[move.dataset])     # the file is rewritten only at the end
    if len(before.rows) != len(t.rows):
        raise KitError(f"kit/exercises/perturb.py: in MOVES, {move.dataset}'s cross must come before its drop")

    def above(rows, members, limit) -> int:
        return sum(1 for i in members if rows[i].get(move.column, "") and Decimal(rows[i][move.column]) >= limit)

    for key, members in _grouped(t, move.group).items():
        rng = _rng(seed, move.dataset, "cross", move.column, *key)
        for limit in limits:
            near = [i for i in members if t.rows[i].get(move.column, "")
                    and abs(Decimal(t.rows[i][move.column]) - limit) <= Decimal(str(move.size))]
            if not near or above(t.rows, members, limit) != above(before.rows, members, limit):
                continue
            i = rng.choice(near)
            old = t.rows[i][move.column]
            step = Decimal(1).scaleb(-max(_places(old), 1)) * rng.randint(1, 5)
            new = limit - step if Decimal(old) >= limit else limit + step
            t.rows[i][move.column] = t.number(move.column, float(new), old if _places(old) else "0.0")


def _relabel(t: _Table, move: Move, seed):
    values = sorted({row.get(move.column, "") for row in t.rows} - {""})
    for i, row in enumerate(t.rows):
        rng = _rng(seed, move.dataset, "relabel", move.column, _keyed(move, row, i))
        others = [v for v in values if v != row.get(move.column)]
        if others and rng.random() < move.fraction:
            row[move.column] = rng.choice(others)


KINDS = {"scale": _scale, "shares": _shares, "from_share": _from_share, "shift": _shift, "fill": _fill,
         "drop": _drop, "relabel": _relabel, "cross": _cross}


def perturbed_copy(data_dir: Path, seed: int, out: Path, only: set | None = None) -> Path:
    """Write a perturbed copy of the data package in ``data_dir`` to ``out`` (a new or empty folder).

    ``only`` limits the copy to the perturbations with those labels (see :func:`labels`), to
    find out which of them changes an answer. Returns ``out``.
    """
    data_dir, out = Path(data_dir), Path(out)
    if out.exists() and any(out.iterdir()):
        raise KitError(f"{out} is not empty: the perturbed copy of the data needs a new folder")
    if not (data_dir / "datapackage.json").is_file():
        raise KitError(f"no datapackage.json in {data_dir}: nothing to perturb")
    shutil.copytree(data_dir, out, dirs_exist_ok=True)
    resources = {r["name"]: r for r in json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    tables: dict = {}
    for move in MOVES:
        if (only is not None and move.label not in only) or move.dataset not in resources:
            continue
        if move.kind not in KINDS:
            raise KitError(f"kit/exercises/perturb.py: unknown perturbation kind {move.kind!r} (known: {', '.join(KINDS)})")
        t = tables.setdefault(move.dataset, _Table(out, resources[move.dataset]))
        t.resources = resources
        if move.column and move.column not in t.header:
            raise KitError(f"kit/exercises/perturb.py: {move.dataset} has no column {move.column!r} to perturb")
        KINDS[move.kind](t, move, seed)
        t.changed = True
    if only is None or REORDERED in only:
        for name in REORDER:
            if name in resources:
                t = tables.setdefault(name, _Table(out, resources[name]))
                _rng(seed, name, "order").shuffle(t.rows)
                t.changed = True
    for t in tables.values():
        if t.changed:
            t.write()
    update_hashes(out)
    return out


def _what_changed(before: dict, after: dict) -> str:
    kind = before.get("type")
    if kind in ("table", "chart") and before.get("rows") != after.get("rows"):
        return "its number of rows changes"
    return {"number": "the number changes", "items": "the list changes", "text": "the text changes",
            "table": "the table's values change", "chart": "the chart's data change"}.get(kind, "the answer changes")


def protection(expected_original: dict, expected_perturbed: dict, by_label: dict | None = None) -> dict[str, str]:
    """For each question of one exercise, what protects it against an answer typed in: ``"unprotected"``
    when its expected answer is the same on the original and the perturbed data, else what changes.

    ``by_label`` ({perturbation label: expected answers on a copy with only that perturbation})
    names the perturbations that change each answer.

    >>> protection({"q1": {"type": "number", "forms": {"2": "3.79"}}, "q2": {"type": "number", "forms": {"0": "4"}}},
    ...            {"q1": {"type": "number", "forms": {"2": "3.91"}}, "q2": {"type": "number", "forms": {"0": "4"}}})
    {'q1': 'protected: the number changes', 'q2': 'unprotected'}
    """
    table = {}
    for q, before in expected_original.items():
        after = expected_perturbed.get(q)
        if after is None or after == before:
            table[q] = "unprotected"
            continue
        names = [label for label, answers in (by_label or {}).items() if answers.get(q, before) != before]
        table[q] = f"protected by {'; '.join(names)}" if names else f"protected: {_what_changed(before, after)}"
    return table
