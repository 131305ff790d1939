"""The two ways to install the kit agree: pyproject.toml (pip) and environment.yml (conda, Binder).

environment.yml is the core (``[project] dependencies``) plus the ``lab`` extra (JupyterLab), no more
and no less; the other extras (build, grade, check, test) are teachers' tools installed with pip.
"""

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml
from conftest import ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


# What environment.yml must hold: the core and these extras of pyproject.toml.
ENVIRONMENT_EXTRAS = ("lab",)


def _conda_side(project: dict) -> list[str]:
    """The requirements environment.yml stands for: the core plus :data:`ENVIRONMENT_EXTRAS`."""
    extras = project["optional-dependencies"]
    return list(project["dependencies"]) + [d for extra in ENVIRONMENT_EXTRAS for d in extras[extra]]


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_names = {_name(d) for d in _conda_side(project)}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_names = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert pip_names == conda_names, f"only in pyproject: {pip_names - conda_names}; only in environment.yml: {conda_names - pip_names}"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and re.match(r"python\b", d))
    assert _version(python) >= _version(project["requires-python"]), (python, project["requires-python"])


def test_environment_yml_asks_for_the_same_lowest_versions_as_pyproject():
    """``altair==6.3.*`` in pip is ``altair=6.3`` in conda; ``pandas>=2.2`` is ``pandas>=2.2``: versions compared as numbers."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = {_name(d): _version(d) for d in _conda_side(project)}
    conda = {_name(d): _version(d) for d in env["dependencies"] if isinstance(d, str) and _name(d) in pip}
    assert conda == pip


def _version(spec: str) -> tuple[int, ...]:
    """The lowest version a requirement allows, as numbers: ``_version("python>=3.9") < _version("python=3.11")``.

    >>> _version("altair==6.3.*"), _version("pandas>=2.2"), _version("python=3.11")
    ((6, 3), (2, 2), (3, 11))
    >>> _version("numpy>=1.10") > _version("numpy>=1.9")
    True
    """
    found = re.search(r"(\d+(?:\.\d+)*)", spec.split(";")[0])
    assert found, f"no version in {spec!r}"
    return tuple(int(part) for part in found.group(1).split("."))


def test_repo2docker_accepts_the_repository():
    exe = shutil.which("repo2docker") or str(ROOT / ".venv" / "bin" / "repo2docker")
    if not shutil.os.path.exists(exe):
        pytest.fail("jupyter-repo2docker is not installed (it is in the test extra)")
    done = subprocess.run([exe, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    dockerfile = done.stdout + done.stderr
    assert "environment.yml" in dockerfile and "postBuild" in dockerfile


def test_readme_dataset_table_is_generated_from_the_metadata():
    from kit.data.catalog import BEGIN, END, markdown_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert block == markdown_table(), "README's dataset table is stale: run `python -m kit datasets --readme`"


def test_readme_names_the_two_commands_and_ci_calls_the_test_one():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make handouts" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
