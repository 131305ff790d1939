"""The student bundle: a folder a teacher can publish as its own repository (Binder, nbgitpuller, Colab).

    from kit.exercises.bundle import write_bundle, scan_bundle
    files = write_bundle(release / "bundle", student_notebooks, exercises)
    problems = scan_bundle(release / "bundle", exercises, expected)

:func:`kit.exercises.release.release` writes it as ``release/bundle/``, next to ``student/``:

- the student notebooks (the same files as ``student/``: solutions stubbed, teaching notes
  removed, the practice-check keys in them, no outputs);
- ``requirements.txt``: the kit's core, from ``<REPO_URL>`` (the kit has no public address
  yet: the teacher replaces the placeholder with the repository's, ``git+https://...``, or a
  wheel's address); repo2docker (Binder) installs it, and ``runtime.txt`` asks for Python 3.11;
- ``README.md`` for students: how to open the notebooks on Binder, a JupyterHub or Colab.

Once the bundle is published, :func:`nbgitpuller_link` and :func:`binder_link` make the links
students click (the same links as nbgitpuller's and Binder's own link generators)::

    >>> nbgitpuller_link("https://hub.example.org", "https://github.com/me/eusec-exercises", notebook="01_spending_targets.ipynb")
    'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fme%2Feusec-exercises&urlpath=lab%2Ftree%2Feusec-exercises%2F01_spending_targets.ipynb&branch=main'
    >>> binder_link("https://github.com/me/eusec-exercises")
    'https://mybinder.org/v2/gh/me/eusec-exercises/main?urlpath=lab%2Ftree%2F'

Nothing else: no solutions, no instructor copies, no data beyond what the kit installs (its
public datasets) and the practice keys. :func:`scan_bundle` runs the release's leak scan
(:func:`kit.exercises.leaks.scan_student`) over every file of the bundle, and refuses files it
does not expect.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from ..notebook import cell_source
from .cells import Exercise
from .leaks import scan_student

REPO_URL = "<REPO_URL>"
PYTHON = "3.11"
TEXT_FILES = ("README.md", "requirements.txt", "runtime.txt")


def requirements_txt(repo_url: str = REPO_URL) -> str:
    """The bundle's ``requirements.txt``: the kit's core (no extras), installed from ``repo_url``.

    >>> print(requirements_txt("https://example.org/kit.git"), end="")  # doctest: +ELLIPSIS
    # The kit and its core (pandas, Altair, ipywidgets): what the notebooks need.
    ...
    eusec-kit @ git+https://example.org/kit.git
    """
    return ("# The kit and its core (pandas, Altair, ipywidgets): what the notebooks need.\n"
            f"# Replace {REPO_URL} with the kit repository's address (or the line with a wheel's address).\n"
            f"eusec-kit @ git+{repo_url}\n")


def _title(ex: Exercise) -> str:
    for cell in ex.nb["cells"]:
        if cell.get("cell_type") == "markdown":
            for line in cell_source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ex.name


def student_readme(exercises: list[Exercise], repo_url: str = REPO_URL) -> str:
    """The students' README: what is in the folder and how to open it."""
    listing = "\n".join(f"- `{ex.name}.ipynb`: {_title(ex)}" for ex in exercises)
    return f"""# European security: exercises

{listing}

Each notebook loads the kit's datasets (`kit.load(...)`) and has **practice checks**:
`check("q1", answer)` tells you at once whether an answer is right, in plain words. They are
practice, not your grade: your teacher grades the notebook you hand in.

## Open the notebooks

- **Binder:** open the link your teacher gives you (it builds this folder with `requirements.txt`).
- **JupyterHub:** open the nbgitpuller link your teacher gives you; the notebooks appear in your files.
- **Colab:** open a notebook, then run this in its first cell before anything else:

  ```
  %pip install "eusec-kit @ git+{repo_url}"
  ```

- **Your own computer** (Python {PYTHON} or newer):

  ```
  pip install -r requirements.txt jupyterlab
  jupyter lab
  ```

Save your work often, and hand in the `.ipynb` file your teacher asks for.
"""


def write_bundle(folder: Path, student_notebooks: list[Path], exercises: list[Exercise],
                 repo_url: str = REPO_URL) -> list[Path]:
    """Write the bundle into ``folder`` (which should not exist yet); return the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    written = []
    for nb in student_notebooks:
        shutil.copyfile(nb, folder / nb.name)
        written.append(folder / nb.name)
    texts = {"README.md": student_readme(exercises, repo_url), "requirements.txt": requirements_txt(repo_url),
             "runtime.txt": f"python-{PYTHON}\n"}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def nbgitpuller_link(hub: str, repo: str, branch: str = "main", notebook: str = "", app: str = "lab") -> str:
    """The link that makes a JupyterHub (with nbgitpuller installed) pull ``repo`` into each student's
    files and open ``notebook`` (or the folder) in JupyterLab (``app="lab"``) or the classic
    notebook (``app="tree"``). nbgitpuller clones into a folder named after the repository."""
    if app not in ("lab", "tree"):
        raise ValueError(f"app must be 'lab' or 'tree', not {app!r}")
    folder = urlsplit(repo).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    path = f"{folder}/{notebook}" if notebook else folder
    urlpath = f"lab/tree/{path}" if app == "lab" else f"tree/{path}"
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?" + urlencode({"repo": repo, "urlpath": urlpath, "branch": branch})


def binder_link(repo: str, branch: str = "main", notebook: str = "", binderhub: str = "https://mybinder.org") -> str:
    """The link that builds the published bundle on a BinderHub and opens ``notebook`` (or the folder) in JupyterLab."""
    parts = urlsplit(repo)
    if parts.netloc == "github.com":
        owner_repo = parts.path.strip("/").removesuffix(".git")
        spec = f"gh/{owner_repo}/{branch}"
    else:
        spec = f"git/{quote(repo, safe='')}/{branch}"
    return f"{binderhub.rstrip('/')}/v2/{spec}?" + urlencode({"urlpath": f"lab/tree/{notebook}"})


def _as_notebook(text: str) -> dict:
    """A text file as a one-cell notebook, so the release's notebook scan can read it."""
    return {"metadata": {}, "cells": [{"cell_type": "markdown", "metadata": {}, "source": text}]}


def scan_bundle(folder: Path, exercises: list[Exercise], expected: dict, where: str = "bundle") -> list[str]:
    """Every leak in the bundle and any file it should not hold.

    A notebook is scanned for its own exercise's secrets (as the release scans ``student/``:
    exercises share given lines, such as loading a dataset, that another one's solution also
    holds); the text files for every exercise's.
    """
    folder = Path(folder)
    by_notebook = {f"{ex.name}.ipynb": ex for ex in exercises}
    problems = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        if name not in by_notebook and name not in TEXT_FILES:
            problems.append(f"{where}/{name}: not a file the student bundle may hold")
            continue
        text = path.read_text(encoding="utf-8")
        if name in by_notebook:
            ex = by_notebook[name]
            problems += scan_student(json.loads(text), ex, expected.get(ex.name, {}), f"{where}/{name}")
            continue
        for ex in exercises:
            problems += scan_student(_as_notebook(text), ex, expected.get(ex.name, {}), f"{where}/{name}")
    return problems
