"""What the grader's integrity check sees: planted bytecode, special files, and --resume without the sandbox."""

import importlib.util
import marshal
import os
import py_compile
import shutil

import pytest

from kit.errors import KitError
from kit.exercises import grade, integrity


def test_bytecode_that_differs_from_its_source_is_found(tmp_path):
    """A .pyc with the source's header but other code (what a notebook graded without the sandbox could plant)."""
    source = tmp_path / "kit" / "verdicts.py"
    source.parent.mkdir()
    source.write_text("def compare(a, b):\n    return a == b\n", encoding="utf-8")
    pyc = importlib.util.cache_from_source(str(source))
    py_compile.compile(str(source), cfile=pyc, doraise=True)
    assert integrity.forged_bytecode(tmp_path / "kit") == []
    header = open(pyc, "rb").read()[:16]                      # the real source's time and size: Python would load it
    forged = compile("def compare(a, b):\n    return True\n", str(source), "exec")
    with open(pyc, "wb") as f:
        f.write(header + marshal.dumps(forged))
    assert integrity.forged_bytecode(tmp_path / "kit") == [pyc]
    os.remove(source)                                         # a .pyc with no source is refused too
    assert integrity.forged_bytecode(tmp_path / "kit") == [f"{pyc} (no source beside it)"]


def test_a_fifo_named_like_a_notebook_is_recorded_not_opened(tmp_path):
    os.mkfifo(tmp_path / "01_spending_targets.ipynb")         # opening it would block the grader for ever
    (tmp_path / "ok.ipynb").write_text("{}", encoding="utf-8")
    found = integrity.tree(tmp_path)
    assert found["01_spending_targets.ipynb"].startswith("special:") and len(found["ok.ipynb"]) == 64


def test_resume_needs_the_sandbox(tmp_path, monkeypatch):
    """Without the sandbox a notebook can reach the journal in the output folder: --resume is refused."""
    monkeypatch.setattr(shutil, "which", lambda name: None)   # as on a machine without bubblewrap
    (tmp_path / "submitted").mkdir()
    with pytest.raises(KitError, match="--resume needs the sandbox"):
        grade.grade(tmp_path / "submitted", tmp_path / "grades", sandbox=False, resume=True, log=lambda m: None)
    assert not (tmp_path / "grades").exists()
