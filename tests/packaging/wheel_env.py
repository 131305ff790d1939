"""A fresh Python environment with the kit's wheel and only its core dependencies (for tests/test_wheel.py).

Installing the core from the registry takes a minute and a half and ~400 MB of downloads, so
the tests build the same situation offline:

1. :func:`build_wheel`: the wheel, built from a copy of the sources (``pip wheel --no-deps
   --no-build-isolation``), so the clone gets no ``build/`` folder;
2. :func:`core_venv`: a new venv (the base interpreter, not this one) with the wheel installed
   ``--no-deps``; the project venv's site-packages are appended to its path for the
   dependencies, and a guard (``KIT_CORE_ONLY=1``) makes every module of a distribution
   outside the core's dependency closure (computed from the wheel's ``Requires-Dist``, extras
   left out) fail to import, as if it were not installed. A lesson that needed nbconvert,
   frictionless or JupyterLab would fail there as it would on Colab with only the core.
"""

from __future__ import annotations

import email
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "kit", "data")
# In every fresh venv of Python 3.11 anyway; never imported by the kit.
ALWAYS_THERE = {"pip", "setuptools"}

_GUARD = '''"""KIT_CORE_ONLY=1: modules of distributions outside the kit's core fail to import."""
import os
import sys

BLOCKED = frozenset({blocked!r})


class CoreOnly:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not in the kit's core dependencies)", name=name)
        return None


if os.environ.get("KIT_CORE_ONLY") == "1":
    sys.meta_path.insert(0, CoreOnly())
'''


def build_wheel(out: Path) -> Path:
    """Build the kit's wheel from a copy of the sources; return its path."""
    src = out / "src"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "_data", "*.pyc"))
        else:
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, src / name)
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = out.glob("eusec_kit-*.whl")
    return wheel


def core_requirements(wheel: Path) -> list[Requirement]:
    """The wheel's ``Requires-Dist`` without the extras (what ``pip install eusec-kit`` installs)."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.message_from_bytes(zf.read(name))
    reqs = [Requirement(r) for r in meta.get_all("Requires-Dist") or []]
    return [r for r in reqs if r.marker is None or r.marker.evaluate({"extra": ""})]


def closure(reqs: list[Requirement]) -> set[str]:
    """Canonical names of the distributions these requirements pull in, as installed in this environment."""
    seen: set[str] = set()
    todo = list(reqs)
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        for extra_req in (Requirement(r) for r in metadata.distribution(name).requires or []):
            env = {"extra": next(iter(req.extras))} if req.extras else {"extra": ""}
            if extra_req.marker is None or extra_req.marker.evaluate(env):
                todo.append(extra_req)
    return seen


def blocked_modules(core: set[str]) -> set[str]:
    """Top-level modules here that no distribution of ``core`` (nor pip, setuptools, the kit) provides."""
    allowed = core | ALWAYS_THERE | {"eusec-kit"}
    blocked = set()
    for module, dists in metadata.packages_distributions().items():
        if not any(canonicalize_name(d) in allowed for d in dists):
            blocked.add(module)
    return blocked - {"kit", "_distutils_hack", "pkg_resources"}


def core_venv(where: Path, wheel: Path) -> tuple[Path, set[str]]:
    """A venv with the wheel (``--no-deps``) and the guarded project packages; return its python and the core."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    done = subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    core = closure(core_requirements(wheel))
    (site / "_kit_core_guard.py").write_text(_GUARD.format(blocked=sorted(blocked_modules(core))), encoding="utf-8")
    # .pth files run in name order: the guard first, then the project's packages go to the end of the path
    (site / "a_kit_core_guard.pth").write_text("import _kit_core_guard\n", encoding="utf-8")
    project_site = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (site / "z_project_packages.pth").write_text(project_site + "\n", encoding="utf-8")
    return python, core
