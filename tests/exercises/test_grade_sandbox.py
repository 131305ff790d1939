"""Grading's sandbox against hostile submissions: each attack costs only the attacker.

The class is graded once (bubblewrap sandboxes, two at a time). When bubblewrap is missing these
tests fail if ``CI`` is set (``.ci/run`` installs it), and skip elsewhere, saying why.
"""

import csv
import hashlib
import io
import json
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import processes_with

from kit import cli
from kit.errors import KitError
from kit.exercises import grade, integrity, jail, journal, release, sandbox
from kit.exercises.answers import expected_answers, wall_clock, worker_plan
from kit.exercises.cells import load_exercise
from kit.exercises.sandbox import Planned
from kit.kernels import run_all

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
EXERCISE = "01_spending_targets"
MARKER = "kit-sandbox-test-lingerer"
# long enough for a chart to be drawn on a busy machine; no attack here waits for a cell's time limit
LIMITS = sandbox.Limits(cell_timeout=40, grace=2, notebook_timeout=200, restarts=1, startup_timeout=60)


def need_bwrap():
    problem = jail.probe()
    if problem is None:
        return
    message = f"{problem} (Debian: apt-get install bubblewrap); the grading sandbox tests need it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _tree(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def _load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _code(source):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}



class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts (none may come from a sandbox)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.5)
        self.port, self.accepted, self.stop = self.sock.getsockname()[1], 0, False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.accepted += 1
                conn.close()
            except OSError:
                continue


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    need_bwrap()
    base = tmp_path_factory.mktemp("sandboxed")
    rel = base / "release"
    release.release(EXERCISES, rel, log=lambda m: None)
    subs = base / "submitted"
    solved = _load(rel / "solutions" / f"{EXERCISE}.ipynb")
    student = _load(rel / "student" / f"{EXERCISE}.ipynb")
    victim = subs / "victim" / f"{EXERCISE}.ipynb"
    landing = base / "landed"          # a host folder the attackers try to write into
    landing.mkdir()
    site = integrity.site_packages()[0]
    listener = Listener()

    def put(name, nb, cells):
        nb = json.loads(json.dumps(nb))
        nb["cells"] += [_code(c) for c in cells]
        (subs / name).mkdir(parents=True)
        (subs / name / f"{EXERCISE}.ipynb").write_text(json.dumps(nb), encoding="utf-8")

    put("victim", solved, [])
    put("overwriter", student, [
        "import glob, os\nppid = os.getppid()\ncmd = open(f'/proc/{ppid}/cmdline', 'rb').read()\n"
        "found = glob.glob('/**/*.ipynb', recursive=True)\n"
        f"for path in found + [{str(victim)!r}]:\n"
        "    try:\n        open(path, 'w').write('{}')\n    except OSError:\n        pass\n"
        f"try:\n    src = open({str(victim)!r}).read()\nexcept OSError:\n    src = ''"])
    put("lingerer", student, [
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(4); "
        f"open({str(landing / 'late.txt')!r}, \"w\").write(\"late\")', {MARKER!r}], start_new_session=True)"])
    put("kitwriter", student, [
        "import os\n"
        f"for path in [{str(ROOT / 'kit' / 'checks.py')!r}, {str(Path(site) / 'zz_evil.pth')!r},"
        f" {str(EXERCISES / (EXERCISE + '.ipynb'))!r}, {str(landing / 'kit.txt')!r}]:\n"
        "    try:\n        open(path, 'a').write('import os  # planted\\n')\n    except OSError:\n        pass\n"
        "try:\n"
        f"    solution = open({str(EXERCISES / (EXERCISE + '.ipynb'))!r}).read()\n"
        "except OSError:\n    solution = None\n"
        "if os.environ.get('KIT_GRADING') and solution:\n    exec('uk_2025 = 2.4')"])
    put("killer", solved, ["import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"])
    put("stopper", solved, ["import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)"])
    # writes into the worker's stdout through /proc (a forged result, or a faked heartbeat on stderr): refused,
    # the worker is not dumpable; had it worked, the garbage would spoil the result and cost this solved copy marks
    put("procwriter", solved, [
        "import os\nfor fd in (1, 2):\n    try:\n        with open(f'/proc/{os.getppid()}/fd/{fd}', 'w') as f:\n"
        "            f.write('{\"forged\": true}' * 1000)\n    except OSError:\n        pass"])
    put("network", student, [
        f"import socket\ntry:\n    socket.create_connection(('127.0.0.1', {listener.port}), timeout=3)\n"
        "except OSError as err:\n    refused = str(err)"])
    put("floods", solved, [
        "from IPython.display import display, update_display\n"
        "display('x', display_id='d')\nfor i in range(20000):\n    update_display('y' * 50_000, display_id='d')",
        "hog = bytearray(64 * 1024**3)"])
    # answers typed in as literals (taken from the solutions' run, never from the practice key)
    ex = load_exercise(EXERCISES / f"{EXERCISE}.ipynb")
    truth = expected_answers([ex])[EXERCISE]
    typed = []
    for q, spec in ex.specs.items():
        obs = truth[q]
        if spec.get("kind") == "number":
            typed.append((q, f"{spec['answer']} = {float(obs['forms'][str(spec.get('decimals', 2))])!r}"))
        elif spec.get("kind") == "items":
            typed.append((q, f"{spec['answer']} = {obs['value']!r}"))
    put("typed", solved, [line for _, line in typed])
    before_subs, before_kit, before_ex = _tree(subs), _tree(ROOT / "kit"), _tree(EXERCISES)
    before_site = sorted(p.name for p in Path(site).iterdir())
    out = base / "grades"
    results = grade.grade(subs, out, jobs=2, limits=LIMITS, seed=11, log=lambda m: None)
    time.sleep(5)                       # the lingerer's sleep is over: it would have written by now
    listener.stop = True
    return {"results": {g.student: g for g in results if g.exercise == EXERCISE}, "out": out, "subs": subs,
            "typed": [q for q, _ in typed],
            "changed_subs": _tree(subs) != before_subs, "changed_kit": _tree(ROOT / "kit") != before_kit,
            "changed_ex": _tree(EXERCISES) != before_ex, "landing": landing, "listener": listener,
            "site_after": sorted(p.name for p in Path(site).iterdir()), "site_before": before_site}


def test_the_victim_keeps_full_marks_and_its_file(attacked):
    g = attacked["results"]["victim"]
    assert g.total == g.max, {q: r.message for q, r in g.results.items()}
    assert not attacked["changed_subs"]


def test_nothing_lands_in_the_kit_the_venv_exercises_or_the_host(attacked):
    assert not attacked["changed_kit"] and not attacked["changed_ex"]
    assert attacked["site_after"] == attacked["site_before"]
    assert list(attacked["landing"].iterdir()) == []
    assert not processes_with(MARKER), "a process a submission started outlived its sandbox"


def test_attackers_get_no_unearned_marks(attacked):
    for name in ("overwriter", "lingerer", "kitwriter", "network"):
        assert attacked["results"][name].total == 0, name


def test_killing_or_stopping_the_worker_costs_only_the_attacker(attacked):
    for name in ("killer", "stopper"):
        g = attacked["results"][name]
        assert g.total == 0 and any("could not be read" in n for n in g.notes), (name, g.notes)
    assert {"victim", "floods"} <= set(attacked["results"])


def test_answers_typed_in_lose_the_protected_marks(attacked):
    rows = list(csv.DictReader(io.StringIO((attacked["out"] / "protection.csv").read_text(encoding="utf-8"))))
    protected = {r["question"] for r in rows if r["exercise"] == EXERCISE and r["protection"] != "unprotected"}
    g, solved = attacked["results"]["typed"], attacked["results"]["victim"]
    assert attacked["typed"] and set(attacked["typed"]) & protected
    for q in g.scores:
        if q in attacked["typed"] and q in protected:
            assert g.scores[q] == 0, (q, g.results[q].message)
        else:
            assert g.scores[q] == solved.scores[q], q


def test_the_workers_output_cannot_be_written_through_proc(attacked):
    g = attacked["results"]["procwriter"]
    assert g.total == g.max, {q: r.message for q, r in g.results.items()}


def test_floods_cost_nothing(attacked):
    g = attacked["results"]["floods"]
    assert g.total == g.max, {q: r.message for q, r in g.results.items()}
    assert any(c.truncated for c in g.cells)


def test_no_connection_reaches_a_listener_on_the_host(attacked):
    assert attacked["listener"].accepted == 0


def test_the_output_is_only_the_grades(attacked):
    assert sorted(os.listdir(attacked["out"])) == ["feedback", "grades.csv", "protection.csv"] or \
        sorted(os.listdir(attacked["out"])) == ["feedback", "grades.csv"]
    rows = list(csv.DictReader(io.StringIO((attacked["out"] / "grades.csv").read_text(encoding="utf-8"))))
    assert {r["student"] for r in rows} >= {"victim", "killer", "stopper"}


def sandboxed_report(code: str) -> str:
    """Run ``code`` as one cell in a fresh sandbox (the grading limits); return the text it left in ``report``."""
    spec = {"question": "q1", "answer": "report", "kind": "text"}
    j = jail.Jail()
    plan = worker_plan([Planned("cell 1", code, "q1")], {"q1": spec}, LIMITS, j, ["original"], None)
    raw, problem = run_all([lambda: j.run(plan, wall_clock(LIMITS, 1))], 1)[0]
    assert problem is None
    return json.loads(raw)["runs"][0]["observations"]["q1"]["value"]


def test_a_sandbox_sees_only_its_own_processes_and_files(tmp_path):
    need_bwrap()
    probe = ("import os, json\n"
             "pids = [p for p in os.listdir('/proc') if p.isdigit()]\n"
             f"seen = {{'pids': len(pids), 'uid': os.getuid(), 'exercises': os.path.exists({str(EXERCISES)!r}),"
             f" 'home': sorted(os.listdir({str(Path.home())!r})) if os.path.isdir({str(Path.home())!r}) else [],"
             f" 'kit_writable': os.access({str(ROOT / 'kit')!r}, os.W_OK)}}\n"
             "report = json.dumps(seen)")
    seen = json.loads(sandboxed_report(probe))
    assert seen["pids"] < 10 and seen["uid"] == 65534
    assert not seen["exercises"] and not seen["kit_writable"]
    home = Path.home()
    bound = {Path(p).relative_to(home).parts[0] for p in (sys.base_prefix, sys.prefix) if home in Path(p).parents}
    assert set(seen["home"]) <= bound         # only the way to this Python, nothing else of the home folder


def test_a_fork_bomb_stops_at_the_process_limit():
    need_bwrap()
    bomb = ("import os, time\nn, err = 0, ''\ntry:\n    for i in range(3000):\n        if os.fork() == 0:\n"
            "            time.sleep(15)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n    err = 'stopped'\n"
            "report = f'{n} {err}'")
    n, word = sandboxed_report(bomb).split()
    assert word == "stopped" and int(n) <= LIMITS.processes


def test_without_the_sandbox_the_same_worker_runs_as_a_plain_process():
    spec = {"question": "q1", "answer": "x", "kind": "number", "decimals": 0}
    j = jail.Jail({"original": ROOT / "data"}, sandboxed=False)
    plan = worker_plan([Planned("cell 1", "import os\nx = 41 + 1", "q1")], {"q1": spec}, LIMITS, j,
                       ["original", "original"], None)
    raw, problem = run_all([lambda: j.run(plan, wall_clock(LIMITS, 2))], 1)[0]
    assert problem is None
    assert [r["observations"]["q1"]["forms"]["0"] for r in json.loads(raw)["runs"]] == ["42", "42"]


def test_grading_refuses_without_bubblewrap_unless_told(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(jail._PROBED, "bwrap", "bubblewrap (bwrap) is not installed")
    (tmp_path / "sub" / "ana").mkdir(parents=True)
    with pytest.raises(KitError, match="bubblewrap.*--no-sandbox"):
        grade.grade(tmp_path / "sub", tmp_path / "out", log=lambda m: None)
    assert cli.main(["grade", str(tmp_path / "sub")]) == 1
    err = capsys.readouterr().err
    assert "apt-get install bubblewrap" in err and "--no-sandbox" in err
    assert not (tmp_path / "out").exists()
    said = []
    with pytest.raises(KitError, match="no submissions"):      # --no-sandbox goes on, saying what is unprotected
        grade.grade(tmp_path / "sub", tmp_path / "out", sandbox=False, log=said.append)
    assert any("--no-sandbox" in m and "runs as you" in m and "network" in m for m in said)


def test_sigterm_kills_the_sandboxes_and_removes_the_temporary_folders(tmp_path):
    import signal
    import subprocess

    need_bwrap()
    temp = tmp_path / "tmp"
    temp.mkdir()
    (tmp_path / "sub" / "ana").mkdir(parents=True)
    rel = tmp_path / "release"
    release.release(EXERCISES, rel, log=lambda m: None)
    shutil.copy(rel / "solutions" / f"{EXERCISE}.ipynb", tmp_path / "sub" / "ana")
    proc = subprocess.Popen([sys.executable, "-m", "kit", "grade", str(tmp_path / "sub"), "--out", str(tmp_path / "out")],
                            cwd=ROOT, env=dict(os.environ, TMPDIR=str(temp)), stderr=subprocess.PIPE, text=True)
    assert "running the solutions" in proc.stderr.readline()
    deadline = time.monotonic() + 60
    sandboxes = []
    while time.monotonic() < deadline and not sandboxes:      # a sandbox with the perturbed copy bound
        sandboxes = processes_with(f"{temp}/kit-perturbed-", exclude="kit grade")
        time.sleep(0.2)
    assert sandboxes and list(temp.iterdir())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) != 0
    time.sleep(1)
    assert list(temp.iterdir()) == [] and not processes_with(f"{temp}/kit-perturbed-", exclude="kit grade")
    assert not list(Path("/sys/fs/cgroup").glob(f"*/kit-grade-{proc.pid}-*"))     # the sandboxes' pids cgroups
    assert not (tmp_path / "out" / "grades.csv").exists()


def test_integrity_names_what_changed(tmp_path):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "checks.py").write_text("ok", encoding="utf-8")
    before = integrity.snapshot({"kit": tmp_path / "kit"})
    (tmp_path / "kit" / "checks.py").write_text("planted", encoding="utf-8")
    (tmp_path / "kit" / "new.py").write_text("", encoding="utf-8")
    changes = integrity.differences(before, integrity.snapshot({"kit": tmp_path / "kit"}))
    assert changes == ["kit: checks.py was changed", "kit: new.py was added"]


def test_the_journal_keeps_finished_notebooks_and_a_cut_line_is_ignored(tmp_path):
    j = journal.Journal.open(tmp_path / "journal.jsonl", False, 42, "inputs")
    g = grade.Graded("ana", EXERCISE, scores={"q1": 1.0}, notes=["kept"])
    j.add(("ana", EXERCISE), "sha-a", journal.to_record(g))
    with open(tmp_path / "journal.jsonl", "a", encoding="utf-8") as f:
        f.write('{"student": "ben", "exerc')                # killed mid-line
    again = journal.Journal.open(tmp_path / "journal.jsonl", True, None, "inputs")
    assert again.header["seed"] == 42
    record = again.finished(("ana", EXERCISE), "sha-a")
    assert journal.from_record(grade.Graded, record).notes == ["kept"]
    assert again.finished(("ana", EXERCISE), "changed") is None and again.finished(("ben", EXERCISE), "x") is None
    with pytest.raises(KitError, match="seed"):
        journal.Journal.open(tmp_path / "journal.jsonl", True, 7, "inputs")
    with pytest.raises(KitError, match="changed"):
        journal.Journal.open(tmp_path / "journal.jsonl", True, None, "other inputs")


def test_untrusted_results_keep_known_keys_and_plain_values():
    from kit.exercises.untrusted import observation, reports

    assert observation({"type": "number", "forms": {"0": "1" * 10**7}, "x": 1})["forms"]["0"] == "1" * 2_000_000
    assert observation({"type": "evil"})["type"] == "error"
    planned = [Planned("cell 1", "x = 1", "q1")]
    runs, problem = reports(b'{"runs": [{"cells": [{"status": "pwned"}], "observations": {"q1": 5}}]}',
                            [planned], {"q1": {}})
    assert runs[0].cells[0].status == "error" and runs[0].observations["q1"]["type"] == "error"
    assert reports(b"\xff" * 10, [planned], {})[0] is None
