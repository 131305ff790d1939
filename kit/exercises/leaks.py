"""The release's last guard: scan a student notebook for anything that gives an answer away.

Solution lines, teaching notes and expected values must never appear in a student copy:
not in its sources, outputs, metadata or attachments, nor in its practice-check key once
decoded. :func:`scan_student` lists every leak; the release stops if there is one::

    problems = scan_student(student_nb, exercise, expected_answers, "student/01_spending_targets.ipynb")

Solution lines shorter than ``_MIN_LEAK_LINE`` characters (``x``, ``)``) cannot be told
apart from ordinary code and are not looked for, nor are lines the given cells also hold.

The student site is scanned too (:func:`scan_site`, run by the release on ``site/``, worksheets
included; the build runs :func:`scan_texts` on every student page before writing it): no sentence
of a lesson's ``instructor``, ``teacher-answer`` or ``worksheet-answer`` cell (source or output,
``_MIN_SENTENCE`` characters or more, and not also said in a cell students see) and no model
answer or teaching note of an exercise may appear in a student page::

    problems = scan_site(Path("site"), [Path("notebooks/02_defence_spending.ipynb")], exercises)

Numbers, names and code lines of the exercises' answers are not looked for in the site: the
handouts show the same data and code the exercises read, so a value such as a country's share
of GDP appears on them by design and would not tell a leak from a lesson.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..notebook import cell_source, tags
from .cells import BEGIN, END, Exercise, is_instructor, is_solution, role, solution_regions
from .keys import decode_key
from .versions import DISCUSSION_STUB, KEY_LINE, key_in

_MIN_LEAK_LINE = 12     # shorter solution lines ("x", ")") cannot be told apart from ordinary code
_MIN_SENTENCE = 40      # shorter sentences of a teacher's text could be said anywhere
SITE_SECRET_TAGS = ("instructor", "teacher-answer", "worksheet-answer")   # never on a student page
_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_MARKS = re.compile(r"[*_`#>|]+")
_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\n\s*\n|\n[-*] ")


def secrets_of(ex: Exercise, expected: dict | None = None) -> list[tuple[str, str]]:
    """(what, text) pairs that must never appear in a student file.

    Solution lines, model answers and teaching notes (lines long enough to be told apart
    from ordinary code and not also part of the given cells), and the expected values.
    """
    public, secret = set(), []
    for cell in ex.nb["cells"]:
        if not is_solution(cell) and not is_instructor(cell):
            public.update(line.strip() for line in cell_source(cell).splitlines())
    for i, cell in enumerate(ex.nb["cells"]):
        if not (is_solution(cell) or is_instructor(cell)):
            continue
        lines = cell_source(cell).splitlines()
        if is_solution(cell) and cell.get("cell_type") == "code":
            regions = solution_regions(lines) or [(-1, len(lines))]
            lines = [line for b, e in regions for line in lines[b + 1:e]]
        what = "teaching note" if is_instructor(cell) else "solution line"
        for line in lines:
            text = line.strip()
            if len(text) >= _MIN_LEAK_LINE and text not in public and text != DISCUSSION_STUB:
                secret.append((f"{what} from cell {i + 1}", text))
    for q, obs in (expected or {}).items():
        for text in _value_texts(obs):
            secret.append((f"expected value of {q}", text))
    return secret


def _value_texts(obs: dict) -> set[str]:
    """Distinctive texts of an expected answer (too-short ones would match by chance)."""
    texts = set()
    kind = obs.get("type")
    if kind == "number":
        forms = obs["forms"]
        full = forms[max(forms, key=int)]
        texts.add(full)
        short = full.rstrip("0").rstrip(".") if "." in full else full
        texts.add(short)
    elif kind == "text":
        texts.add(obs["value"])
    elif kind in ("table", "chart") and "forms" in obs:
        forms = obs["forms"]
        for row in forms[max(forms, key=int)].split("\x1f"):
            for cell in row.split("\x1e"):
                if re.fullmatch(r"-?\d+\.\d+", cell):
                    texts.add(cell)
    return {t for t in texts if len(t.lstrip("-").replace(".", "")) >= 3 and t.lower() not in ("nan", "inf")}


def _strings(value):
    """Every string inside a JSON-like value (for scanning outputs and metadata)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _attachment_texts(cell):
    import base64
    for name, bundle in (cell.get("attachments") or {}).items():
        yield name
        for data in (bundle or {}).values():
            for text in _strings(data):
                yield text
                try:
                    yield base64.b64decode(text, validate=False).decode("utf-8", "ignore")
                except Exception:
                    pass


def _found(text: str, secret: str, is_value: bool) -> bool:
    if not is_value:
        return secret in text
    pattern = r"(?<![\w.])" + re.escape(secret) + r"(?![\w]|\.\d)"
    return re.search(pattern, text, flags=re.I) is not None


def scan_student(nb: dict, ex: Exercise, expected: dict, where: str) -> list[str]:
    """Every leak in a student notebook: solution lines, notes, expected values, markers."""
    problems = []
    items = secrets_of(ex, expected)
    places = [("notebook metadata", json.dumps(nb.get("metadata", {}), ensure_ascii=False))]
    for i, cell in enumerate(nb["cells"]):
        src = cell_source(cell)
        if role(cell) == "checks":          # the key is base64 of hashes: scan the decoded key instead
            key = key_in(src)
            src = KEY_LINE.sub("", src)
            if key:
                try:
                    places.append((f"cell {i + 1} (the practice-check key)", json.dumps(decode_key(key))))
                except Exception:
                    problems.append(f"{where}, cell {i + 1}: the practice-check key cannot be read back")
        places.append((f"cell {i + 1} source", src))
        places.append((f"cell {i + 1} outputs", "\n".join(_strings(cell.get("outputs", [])))))
        places.append((f"cell {i + 1} metadata", "\n".join(_strings(cell.get("metadata", {})))))
        places.append((f"cell {i + 1} attachments", "\n".join(_attachment_texts(cell))))
    for place, text in places:
        if not text:
            continue
        for marker in (BEGIN, END):
            if marker in text:
                problems.append(f"{where}, {place}: contains a solution marker ({marker})")
        for what, secret in items:
            if _found(text, secret, what.startswith("expected value")):
                shown = secret if not what.startswith("expected") else "(value hidden)"
                problems.append(f"{where}, {place}: contains a {what}: {shown[:80]}")
    return problems


def plain(text: str, markup: bool = False) -> str:
    """Text as a reader sees it, for comparing: tags dropped (``markup``), entities read, Markdown marks and spaces squashed.

    >>> plain('<p>A <em>good</em> answer &amp; more</p>', markup=True)
    'A good answer & more'
    """
    import html

    if markup:
        text = html.unescape(_TAG.sub(" ", text))
    return " ".join(_MARKS.sub("", text).split())


def _cell_texts(cell: dict) -> list[str]:
    texts = [cell_source(cell)]
    for out in cell.get("outputs") or []:
        data = out.get("data") or {}
        for mime in ("text/markdown", "text/plain"):
            if mime in data:
                texts.append(data[mime] if isinstance(data[mime], str) else "".join(data[mime]))
        if "text/html" in data:
            texts.append(plain(data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"]), True))
        if out.get("output_type") == "stream":
            texts.append(out.get("text") if isinstance(out.get("text"), str) else "".join(out.get("text") or []))
    return texts


def _sentences(text: str) -> list[str]:
    return [s for s in (plain(part) for part in _SPLIT.split(text)) if len(s) >= _MIN_SENTENCE]


def public_text(nb: dict) -> str:
    """What a lesson shows students (every cell not tagged for the teacher: sources and outputs), as plain text."""
    return "\n".join(plain(text) for cell in nb.get("cells", []) if not set(tags(cell)) & set(SITE_SECRET_TAGS)
                     for text in _cell_texts(cell))


def teacher_texts(nb: dict, where: str) -> list[tuple[str, str]]:
    """(what, sentence) pairs of a lesson's teacher-only cells that no student page may show.

    Sentences also said anywhere in a cell students see (the lesson's own text quoted in a
    suggested answer, a chart's label listed in a worksheet answer) are left out: they are not secrets.
    """
    public, secret = public_text(nb), []
    for i, cell in enumerate(nb.get("cells", [])):
        found = [t for t in SITE_SECRET_TAGS if t in tags(cell)]
        if not found:
            continue
        what = f"{where}, cell {i + 1}" + (f" (id {cell.get('id')!r})" if cell.get("id") else "") + f", tagged {found[0]}"
        for text in _cell_texts(cell):
            secret += [(what, s) for s in _sentences(text) if s not in public]
    return list(dict.fromkeys(secret))


def exercise_texts(ex: Exercise) -> list[tuple[str, str]]:
    """(what, sentence) pairs of an exercise's model answers (open questions' solution cells) and teaching notes."""
    found = []
    for i, cell in enumerate(ex.nb["cells"]):
        if cell.get("cell_type") == "markdown" and (is_solution(cell) or is_instructor(cell)):
            what = f"{ex.path}, cell {i + 1}, {'a teaching note' if is_instructor(cell) else 'a model answer'}"
            found += [(what, s) for s in _sentences(cell_source(cell))]
    return found


def scan_texts(pages: dict, secrets: list[tuple[str, str]]) -> list[str]:
    """Every secret sentence found in the pages ({file name: HTML}): 'file: contains the teacher's text from ...: ...'."""
    problems = []
    for name, markup in pages.items():
        text = plain(markup, True)
        for what, sentence in secrets:
            if sentence in text:
                problems.append(f"{name}: contains the teacher's text from {what}: {sentence[:100]!r}")
    return problems


def _executed_or_source(path: Path, cache: Path | None) -> dict:
    """A lesson as last executed by the build (its cached copy, with outputs), else as saved."""
    from ..site.cache import chosen_cache

    kept = sorted((chosen_cache(cache) / "executed").glob(f"{path.stem}-*.ipynb"))
    for candidate in [*kept, path]:
        try:
            return json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return {"cells": []}


def scan_site(folder: Path, lessons: list, exercises: list = (), cache: Path | None = None) -> list[str]:
    """Every teacher's text or exercise model answer found in a student site (``folder``, worksheets included)."""
    folder = Path(folder)
    executed = [(_executed_or_source(Path(path), cache), Path(path).name) for path in lessons]
    secrets = [item for nb, name in executed for item in teacher_texts(nb, name)]
    # an exercise's teaching note may say what a lesson already tells students: that is no leak
    public = "\n".join(public_text(nb) for nb, _ in executed)
    secrets += [(what, s) for ex in exercises for what, s in exercise_texts(ex) if s not in public]
    pages = {p.relative_to(folder.parent).as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in sorted(folder.rglob("*.html"))}
    return scan_texts(pages, secrets)
