"""Practice-check keys: the expected answers as salted hashes of their canonical forms, never the values.

A key is ``{"exercise", "questions": {q: spec}, "entries": {q: entry}}``; each entry holds
hashes of the expected observation (see ``kit.exercises.observe``), made by
:func:`fingerprint`, and the whole key travels in a student notebook as compact text::

    >>> from kit.exercises.observe import observe_value
    >>> spec = {"question": "q1", "answer": "share", "kind": "number", "decimals": 2}
    >>> entry = fingerprint(observe_value(3.7912, spec), spec, "salt")
    >>> "3.79" in str(entry)            # hashes, never the value
    False
    >>> decode_key(encode_key({"exercise": "x", "questions": {}, "entries": {"q1": entry}}))["entries"]["q1"] == entry
    True
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib

from .observe import KIND_WORDS


def digest(salt: str, question: str, form) -> str:
    """The salted hash of one canonical form (what a key holds instead of the form)."""
    text = form if isinstance(form, str) else json.dumps(form, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{salt}|{question}|{text}".encode()).hexdigest()[:32]


def fingerprint(observation: dict, spec: dict, salt: str) -> dict:
    """The key entry for a question: hashes of the expected answer's canonical forms.

    Raises ``ValueError`` if the expected answer is not of the question's kind (a broken
    solution must stop the release, not ship a check nobody can pass).

    >>> spec = {"question": "q2", "answer": "n", "kind": "number", "decimals": 0}
    >>> sorted(fingerprint({"type": "number", "forms": {"0": "23"}}, spec, "salt"))
    ['h', 'hp', 'kind', 'salt']
    >>> fingerprint({"type": "nan"}, spec, "salt")
    Traceback (most recent call last):
    ...
    ValueError: the solution's answer is a missing value (NaN), not a number
    """
    kind = spec.get("kind", "number")
    q = spec.get("question", "")
    otype = observation.get("type")
    if otype == "nan":
        raise ValueError("the solution's answer is a missing value (NaN), not a number")
    expected_type = {"number": "number", "text": "text", "items": "items", "table": "table", "chart": "chart"}[kind]
    if otype != expected_type:
        got = observation.get("name") or observation.get("detail") or otype
        raise ValueError(f"the solution's answer is {got}, not {KIND_WORDS[kind]}")
    entry = {"kind": kind, "salt": salt}
    if kind == "number":
        entry["h"] = {d: digest(salt, q, f) for d, f in observation["forms"].items()}
        entry["hp"] = {d: digest(salt, q, f) for d, f in observation.get("pyforms", {}).items()}
    elif kind == "text":
        entry["h"] = digest(salt, q, observation["value"])
    elif kind == "items":
        entry["h"] = digest(salt, q, observation["value"])
        entry["n"] = digest(salt, q, f"n={observation['n']}")
    elif kind == "table":
        if observation.get("missing"):
            raise ValueError(f"the solution's table lacks the column(s) {observation['missing']}")
        entry["rows"] = digest(salt, q, f"rows={observation['rows']}")
        entry["h"] = {d: digest(salt, q, f) for d, f in observation["forms"].items()}
        entry["hp"] = {d: digest(salt, q, f) for d, f in observation.get("pyforms", {}).items()}
    elif kind == "chart":
        if "forms" not in observation:
            raise ValueError(f"the solution's chart has no {spec.get('mark')!r} layer encoding {spec.get('fields')}"
                             " with inline data")
        entry["rows"] = digest(salt, q, f"rows={observation['rows']}")
        entry["h"] = {d: digest(salt, q, f) for d, f in observation["forms"].items()}
        entry["hp"] = {d: digest(salt, q, f) for d, f in observation.get("pyforms", {}).items()}
    return entry


def encode_key(key: dict) -> str:
    """Compact text for a key (zlib + base64), to embed in a student notebook.

    >>> decode_key(encode_key({"exercise": "x", "questions": {}, "entries": {}}))["exercise"]
    'x'
    """
    raw = json.dumps(key, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def decode_key(text: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(text)).decode("utf-8"))
