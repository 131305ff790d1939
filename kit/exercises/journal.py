"""The grading journal: each finished notebook appended as one JSON line, so a stopped run keeps what it had.

    j = Journal.start(out / "journal.jsonl", {"seed": 1234, "inputs": "..."})   # a new run
    j = Journal.resume(out / "journal.jsonl")          # --resume: j.header["seed"], j.done
    j.add(("ana", "01_spending_targets"), file_sha256, record)                   # one line, flushed to disk
    j.done[("ana", "01_spending_targets")]  # -> {"sha256": ..., "record": {...}}

The journal lives in the output folder while grading runs; the finished grades replace that
folder in one move, so a complete run leaves only ``grades.csv`` and ``feedback/``. A line cut
short by a kill is ignored; a notebook whose file changed since it was journalled is graded again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from ..errors import KitError
from .sandbox import CellReport
from .verdicts import Result

NAME = "journal.jsonl"


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_record(obj):
    """Dataclasses (a ``Graded`` with its results and cells) as plain JSON values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_record(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_record(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_record(v) for v in obj]
    return obj


def from_record(cls, record: dict):
    """A journalled ``Graded`` (``cls``) back, with its results and cells."""
    g = cls(**{k: v for k, v in record.items() if k in cls.__dataclass_fields__})
    g.results = {q: Result(**r) for q, r in g.results.items()}
    g.cells = [CellReport(**c) for c in g.cells]
    return g


class Journal:
    def __init__(self, path: Path, header: dict, done: dict):
        self.path, self.header, self.done = Path(path), header, done

    @classmethod
    def start(cls, path: Path, header: dict) -> Journal:
        """A new journal (an old one at ``path`` is replaced)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.new")
        tmp.write_text(json.dumps({"journal": 1, **header}) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        return cls(path, header, {})

    @classmethod
    def resume(cls, path: Path) -> Journal:
        """The journal at ``path``, with what it holds (KitError if there is none)."""
        path = Path(path)
        if not path.is_file():
            raise KitError(f"--resume: no journal at {path} (nothing to resume: run without --resume)")
        lines = path.read_text(encoding="utf-8").splitlines()
        try:
            header = json.loads(lines[0])
            assert isinstance(header, dict) and header.get("journal") == 1
        except (IndexError, ValueError, AssertionError):
            raise KitError(f"--resume: {path} is not a grading journal") from None
        done = {}
        for line in lines[1:]:
            try:
                entry = json.loads(line)
                done[(entry["student"], entry["exercise"])] = entry
            except (ValueError, KeyError, TypeError):
                continue                # a line cut short when the run was stopped
        header.pop("journal", None)
        return cls(path, header, done)

    @classmethod
    def open(cls, path: Path, resume: bool, seed: int | None, inputs: str) -> Journal:
        """A new journal, or (``resume``) the one at ``path`` if it was made from the same ``inputs``
        (fingerprints of the kit, exercises and data); its seed is kept (``header["seed"]``)."""
        if not resume:
            return cls.start(path, {"seed": seed, "inputs": inputs})
        journal = cls.resume(path)
        if journal.header.get("inputs") != inputs:
            raise KitError(f"--resume: kit/, exercises/ or the data changed since {path} was started; "
                           "grade again without --resume")
        if seed is not None and seed != journal.header.get("seed"):
            raise KitError(f"--resume: the journal's run used --seed {journal.header.get('seed')}, not {seed}")
        return journal

    def add(self, key: tuple, sha256: str, record: dict):
        entry = {"student": key[0], "exercise": key[1], "sha256": sha256, "record": record}
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.done[key] = entry

    def finished(self, key: tuple, sha256: str) -> dict | None:
        """The journalled record for ``key`` if its file is unchanged since, else None."""
        entry = self.done.get(key)
        return entry["record"] if entry and entry.get("sha256") == sha256 else None
