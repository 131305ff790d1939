"""The student bundle (``python -m kit release`` -> release/bundle/): a folder a teacher can publish as its own
repository. It holds the student notebooks, a README and the environment that installs the kit, and nothing
that gives an answer away; repo2docker (Binder) accepts it; the release's leak scan covers it.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT

from kit.errors import KitError
from kit.exercises import bundle, cells, release
from kit.exercises.answers import expected_answers
from kit.exercises.leaks import secrets_of

pytestmark = pytest.mark.kernel


@pytest.fixture(scope="module")
def exercises():
    return [cells.load_exercise(p) for p in cells.find_exercises(cells.EXERCISES)]


@pytest.fixture(scope="module")
def expected(exercises):
    return expected_answers(exercises)          # the solutions run once for the module


@pytest.fixture(scope="module")
def out(tmp_path_factory, expected):
    out = tmp_path_factory.mktemp("rel") / "release"
    release.release(out=out, expected=expected, log=lambda message: None)
    return out


def test_the_bundle_holds_the_student_notebooks_a_readme_and_the_environment_only(out, exercises):
    folder = out / "bundle"
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    notebooks = sorted(f"{ex.name}.ipynb" for ex in exercises)
    assert names == sorted(notebooks + ["README.md", "requirements.txt", "runtime.txt"])
    for name in notebooks:       # the very files of student/: stubs, practice keys, no teaching notes
        assert (folder / name).read_bytes() == (out / "student" / name).read_bytes(), name


def test_the_bundle_has_no_solution_marker_no_teaching_note_and_no_solution_line(out, exercises):
    folder = out / "bundle"
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    everything = "\n".join(texts.values())
    assert "BEGIN SOLUTION" not in everything and "END SOLUTION" not in everything
    assert '"instructor"' not in everything, "a cell tagged instructor reached the bundle"
    for ex in exercises:     # its own notebook and the text files (other exercises share given lines)
        for what, secret in secrets_of(ex):
            for name in (f"{ex.name}.ipynb", *bundle.TEXT_FILES):
                assert secret not in texts[name], f"{name}: {ex.name}'s {what}"


def test_the_environment_installs_the_kit_core_from_the_placeholder_address(out):
    lines = [line for line in (out / "bundle" / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines == ["eusec-kit @ git+<REPO_URL>"], lines     # the core: no extras (no JupyterLab, nbconvert, ...)
    assert (out / "bundle" / "runtime.txt").read_text(encoding="utf-8").strip() == f"python-{bundle.PYTHON}"
    readme = (out / "bundle" / "README.md").read_text(encoding="utf-8")
    for place in ("Binder", "JupyterHub", "Colab", '%pip install "eusec-kit @ git+<REPO_URL>"'):
        assert place in readme, place


def test_repo2docker_accepts_the_bundle(out):
    exe = shutil.which("repo2docker") or str(ROOT / ".venv" / "bin" / "repo2docker")
    if not shutil.os.path.exists(exe):
        pytest.fail("jupyter-repo2docker is not installed (it is in the test extra)")
    done = subprocess.run([exe, "--no-build", "--debug", str(out / "bundle")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    dockerfile = done.stdout + done.stderr
    assert 'pip install --no-cache-dir -r "requirements.txt"' in dockerfile      # the kit, from requirements.txt
    assert f"python={bundle.PYTHON}" in dockerfile                                 # runtime.txt read


def test_the_leak_scan_covers_the_bundle(tmp_path, monkeypatch, exercises, expected):
    ex = exercises[0]
    what, secret = next((w, s) for w, s in secrets_of(ex) if w.startswith("solution line"))
    monkeypatch.setattr(bundle, "student_readme", lambda exs, repo_url="": f"# Exercises\n\nHint: {secret}\n")
    with pytest.raises(KitError, match=r"bundle/README\.md.*solution line"):
        release.release(out=tmp_path / "release", expected=expected, log=lambda message: None)
    assert not (tmp_path / "release").exists(), "a release that leaked must not be moved into place"


def test_an_unexpected_file_in_the_bundle_is_refused(tmp_path, exercises, expected, out):
    folder = tmp_path / "bundle"
    shutil.copytree(out / "bundle", folder)
    shutil.copy2(out / "solutions" / f"{exercises[0].name}.ipynb", folder / "solutions.ipynb")
    problems = bundle.scan_bundle(folder, exercises, expected)
    assert any("solutions.ipynb: not a file the student bundle may hold" in p for p in problems), problems
    assert bundle.scan_bundle(out / "bundle", exercises, expected) == []
