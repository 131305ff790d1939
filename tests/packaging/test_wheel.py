"""The wheel works anywhere: built from the clone, installed elsewhere with only the core dependencies,
it loads every dataset and runs every lesson and every released student exercise from an unrelated folder.

How the environment is made offline (a venv with the wheel, the core's dependencies and nothing
else importable) is in tests/packaging/wheel_env.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
import zipfile

import pytest
from conftest import DATA, ROOT
from wheel_env import build_wheel, core_venv

pytestmark = pytest.mark.kernel

# Run by the venv's Python: execute each notebook in a kernel of that venv, with the core-only guard on.
DRIVER = r'''
import asyncio, json, os, sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from kit.kernels import kernel_manager

os.environ["KIT_CORE_ONLY"] = "1"          # the kernels start with it: only the core can be imported
report = {}
for path in map(Path, sys.argv[1:]):
    nb = nbformat.read(path, as_version=4)
    entry = {"error": None, "mimetypes": [], "stderr": []}
    km = kernel_manager()
    try:
        NotebookClient(nb, km=km, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except Exception as err:
        entry["error"] = f"{type(err).__name__}: {str(err)[-1500:]}"
    finally:                                # the client does not own the kernel manager
        if km.has_kernel:
            asyncio.run(km.shutdown_kernel(now=True))
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            entry["mimetypes"] += list(out.get("data", {}))
            if out.get("name") == "stderr":
                entry["stderr"].append(out["text"][:3000])
    report[path.name] = entry
print(json.dumps(report))
'''

PROBE = r'''
import json, sys
import kit
from kit.data.package import data_dir
blocked = []
for name in ("nbconvert", "nbclient", "nbformat", "frictionless", "jupyterlab"):
    try:
        __import__(name)
    except ImportError:
        blocked.append(name)
print(json.dumps({"kit": kit.__file__, "data": str(data_dir()), "blocked": blocked,
                  "rows": {name: len(kit.load(name)) for name in kit.datasets().name}}))
'''


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "KIT_DATA_DIR", "VIRTUAL_ENV", "KIT_HANDOUT", "KIT_GRADING")}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    where = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(where / "dist")
    python, core = core_venv(where / "venv", wheel)
    elsewhere = tmp_path_factory.mktemp("elsewhere")     # an unrelated folder: no kit/, no data/ next to it
    return {"wheel": wheel, "python": python, "core": core, "cwd": elsewhere}


def _run(installed, code: str, *args, **env) -> dict:
    done = subprocess.run([str(installed["python"]), "-c", code, *map(str, args)], cwd=installed["cwd"],
                          env=_env(**env), capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_wheel_carries_every_data_file_byte_for_byte_and_no_teacher_sources(installed):
    with zipfile.ZipFile(installed["wheel"]) as zf:
        names = set(zf.namelist())
        for file in DATA.iterdir():
            if file.is_file() and not file.name.startswith("."):
                assert zf.read(f"kit/_data/{file.name}") == file.read_bytes(), file.name
    assert not [n for n in names if n.startswith(("exercises/", "tests/", "notebooks/", "data/"))], sorted(names)[:20]
    assert not [n for n in names if n.endswith(".ipynb")], "no notebook (solutions!) may ship in the wheel"


def test_the_core_leaves_out_the_teacher_tools():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = " ".join(project["dependencies"])
    for tool in ("jupyterlab", "nbconvert", "nbclient", "frictionless"):
        assert tool not in core, f"{tool} belongs in an extra, not in every student's environment"
    assert {"build", "grade", "check", "lab", "test"} <= set(project["optional-dependencies"])


def test_installed_elsewhere_it_loads_every_dataset_from_the_package(installed):
    import kit

    got = _run(installed, PROBE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # a stale dataset warns; the rows are what is compared
        here = {name: len(kit.load(name)) for name in kit.datasets().name}
    venv = installed["python"].parent.parent
    assert os.path.commonpath([got["kit"], venv]) == str(venv), f"kit imported from {got['kit']}, not the wheel"
    assert got["data"].endswith(os.path.join("site-packages", "kit", "_data")), got["data"]
    assert got["rows"] == here
    # the guard works: the teacher tools cannot be imported where only the core is installed
    guarded = _run(installed, PROBE, KIT_CORE_ONLY="1")
    assert guarded["blocked"] == ["nbconvert", "nbclient", "nbformat", "frictionless", "jupyterlab"], guarded["blocked"]
    assert guarded["rows"] == got["rows"]


def test_kit_data_dir_still_wins_over_the_packaged_data(installed, tmp_path):
    mine = tmp_path / "my-data"
    shutil.copytree(DATA, mine)
    got = _run(installed, PROBE, KIT_CORE_ONLY="1", KIT_DATA_DIR=str(mine))
    assert got["data"] == str(mine)


def _unexpected_stderr(texts: list[str]) -> list[str]:
    """stderr lines other than the one warning a lesson may show (a dataset due for review) and its echoed line."""
    rest = []
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip()]
        stale = {i for i, line in enumerate(lines) if "StaleDataWarning: dataset " in line}
        echoed = {i + 1 for i in stale if i + 1 < len(lines) and lines[i + 1].startswith(" ")}
        rest += [line for i, line in enumerate(lines) if i not in stale | echoed]
    return rest


@pytest.fixture(scope="module")
def student_notebooks(tmp_path_factory):
    from kit.exercises.release import release

    out = tmp_path_factory.mktemp("release") / "release"
    release(out=out, log=lambda message: None)
    return sorted((out / "student").glob("*.ipynb"))


def test_every_lesson_and_released_exercise_runs_with_only_the_core_installed(installed, student_notebooks, tmp_path):
    lessons = tmp_path / "lessons"
    shutil.copytree(ROOT / "notebooks", lessons)
    students = tmp_path / "student"
    students.mkdir()
    for nb in student_notebooks:
        shutil.copy2(nb, students / nb.name)
    notebooks = sorted(lessons.glob("*.ipynb")) + sorted(students.glob("*.ipynb"))
    assert len(notebooks) >= 11, notebooks
    report = _run(installed, DRIVER, *notebooks)
    failed = {name: entry["error"] for name, entry in report.items() if entry["error"]}
    assert not failed, json.dumps(failed, indent=1)[-4000:]
    for name, entry in report.items():
        assert not _unexpected_stderr(entry["stderr"]), (name, entry["stderr"][:3])
    lessons_with_charts = [n for n, e in report.items() if n[:2].isdigit() and "application/vnd.vega.v5+json" in e["mimetypes"]]
    assert len(lessons_with_charts) >= 6, "the live (offline) chart renderer drew nothing in the core environment"
