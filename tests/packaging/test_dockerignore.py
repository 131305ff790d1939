"""`.dockerignore`: a container image of the repository (Binder, repo2docker, docker build) gets the lessons,
the kit and its data, and none of the solutions, local environments, caches or a class's files.

The files kept are computed as repo2docker computes them (its build context: docker-py's
``exclude_paths`` over the lines of ``.dockerignore``), on a copy of the repository's files plus
the folders a working clone grows.
"""

import shutil
import subprocess

import pytest
from conftest import ROOT

# What a working clone has besides the tracked files (each holds one file)
GROWN = [".venv/bin/python", ".git/HEAD", "release/student/01.ipynb", "release/bundle/README.md",
         "release/solutions/01.ipynb", "grades/grades.csv", "submitted/ana/01.ipynb", "site/index.html",
         ".kit-cache/ab.json", "kit/__pycache__/files.cpython-311.pyc", "notebooks/.ipynb_checkpoints/x.ipynb",
         ".pytest_cache/v", "build/lib/kit/__init__.py", "eusec_kit.egg-info/PKG-INFO", "kit/_data/countries.csv"]
# Left out: these folders at the top (kit/exercises/, the code, is kept), these anywhere
TOP = (".venv/", ".git/", "release/", "grades/", "submitted/", "site/", ".kit-cache/", "exercises/",
       ".pytest_cache/", "build/", "kit/_data/")
ANYWHERE = ("__pycache__", ".ipynb_checkpoints")


def _left_out(path: str) -> bool:
    parts = path.split("/")
    return path.startswith(TOP) or any(p in ANYWHERE for p in parts) or parts[0].endswith(".egg-info")


def _context(root) -> set[str]:
    """The files repo2docker would copy from ``root`` into the image (as repo2docker.buildpacks.base does)."""
    from docker.utils.build import exclude_paths

    lines = [line.strip() for line in (root / ".dockerignore").read_text(encoding="utf-8").splitlines()]
    exclude = [line for line in lines if line and not line.startswith("#")]
    return {p for p in exclude_paths(str(root), exclude) if (root / p).is_file()}


@pytest.fixture(scope="module")
def context(tmp_path_factory):
    copy = tmp_path_factory.mktemp("clone")
    tracked = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    for name in tracked:
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    for name in GROWN:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_text("x", encoding="utf-8")
    return _context(copy)


def test_the_image_gets_no_solutions_environments_caches_or_class_files(context):
    leaked = sorted(p for p in context if _left_out(p))
    assert not leaked, leaked
    assert any(p.startswith("kit/exercises/") for p in context), "the kit's code for the exercises is kept"
    assert not [p for p in context if p.endswith((".pyc", ".whl"))]


def test_the_image_gets_what_binder_needs_to_install_and_run_the_lessons(context):
    needed = {"environment.yml", "postBuild", "pyproject.toml", "setup.py", "README.md", "kit/__init__.py",
              "kit/data/package.py", "data/datapackage.json"}
    assert needed <= context, sorted(needed - context)
    lessons = {p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert lessons and lessons <= context, sorted(lessons - context)
    data = {p.relative_to(ROOT).as_posix() for p in (ROOT / "data").iterdir() if p.is_file()}
    assert data <= context, sorted(data - context)
    assets = [p for p in context if p.startswith("kit/charts/assets/")]
    assert assets, "the map of Europe (kit/charts/assets) must reach the image"
