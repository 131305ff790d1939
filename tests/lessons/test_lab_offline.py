"""The lessons in a real JupyterLab with the network cut: every chart renders.

The whole run happens in a network namespace of its own (``bwrap --unshare-net``: only the
loopback interface exists), so the JupyterLab server, its kernels and the browser all lose the
network, not just the page. Inside it, the test starts ``jupyter lab`` on a free local port over
a copy of ``notebooks/`` (so nothing is saved into the repository), opens each lesson in
Debian's Chromium driven by Playwright, with every request that is not to localhost/127.0.0.1
aborted and counted, runs all cells, and checks that each chart (the kit's live renderer: a Vega
spec compiled in the kernel, drawn by JupyterLab's built-in Vega renderer) is drawn as SVG marks
inside JupyterLab's Vega output, with no widget or JavaScript errors and no request at all
leaving the machine. The expected number of charts per lesson comes from running the same
notebook with nbclient (``tests/lessons_run.py``). The solved copy of each exercise (released
student notebooks call ``kit.render.enable()``) is run too, then saved from JupyterLab: the
saved file, with the PNG JupyterLab's Vega renderer adds to each chart, must stay under 300 KB.

When Chromium or bubblewrap is missing these tests fail if ``CI`` is set, and skip elsewhere.
Run by hand, it prints what it found: ``python tests/lessons/test_lab_offline.py`` (add ``--json FILE``
to write it; the tests run it that way inside the namespace).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

if __name__ == "__main__":   # run as a script (in the network namespace): the shared test helpers live in tests/
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from conftest import ROOT, need_chromium, need_program
from lessons_run import chart_specs, executed_lessons

from kit.exercises.cells import EXERCISES as EXERCISES_DIR
from kit.exercises.cells import find_exercises
from kit.exercises.notebook_bench import TARGET_BYTES, VEGA_MIME
from kit.site import pdf

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXERCISES = find_exercises(EXERCISES_DIR)
CHROMIUM = pdf.chromium()
BWRAP = shutil.which("bwrap")
ARGS = list(pdf.CHROMIUM_ARGS)
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "ws://localhost", "data:", "blob:", "about:")

# The notebook's kernel has started and is idle (the status text is in a visually hidden span).
IDLE_JS = "() => [...document.querySelectorAll('span')].some(s => s.textContent.trim() === 'Kernel status: Idle')"
# Some cell has started or finished (its prompt is no longer empty).
STARTED_JS = ("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
              ".some(p => p.textContent.includes('*') || /\\d/.test(p.textContent))")
# In the page: how many cells still run, and the state of every chart.
STATE_JS = """() => {
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
  const embeds = [...document.querySelectorAll('.vega-embed')];
  return {
    running: prompts.filter(p => p.includes('*')).length,
    unrun: prompts.filter(p => p === '[ ]:' || p === '').length,
    codeCells: prompts.length,
    charts: embeds.length,
    drawn: embeds.filter(e => e.querySelector('svg .role-mark > *')).length,
    vega: embeds.filter(e => e.closest('.jp-RenderedVega5') && e.querySelector('svg .role-mark > *')).length,
    svg: embeds.filter(e => e.querySelector('svg')).length,
    canvas: embeds.filter(e => e.querySelector('canvas')).length,
    errors: [...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.textContent)
             .filter(t => /JavaScript Error|Error displaying widget|Traceback|Error:/.test(t)).map(t => t.slice(0, 200)),
  };
}"""



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root: Path, port: int) -> subprocess.Popen:
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", f"--ServerApp.root_dir={root}",
               "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(root.parent / "lab.log", "wb")  # noqa: SIM115 - closed with the process
    # a private workspace and settings folder: no tabs restored from, or saved into, the user's JupyterLab
    env = dict(os.environ, JUPYTERLAB_WORKSPACES_DIR=str(root.parent / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(root.parent / "settings"))
    env.pop("KIT_HANDOUT", None)
    # autosave off: a retried notebook must not reopen with the outputs of the first try
    docmanager = root.parent / "settings" / "@jupyterlab" / "docmanager-extension"
    docmanager.mkdir(parents=True, exist_ok=True)
    (docmanager / "plugin.jupyterlab-settings").write_text('{"autosave": false}', encoding="utf-8")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: {(root.parent / 'lab.log').read_text()[-2000:]}") from None
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError("jupyter lab did not start within 60 s")


def wait_for_kernel(page, timeout: float = 90) -> None:
    """Wait until the notebook's kernel is idle. If JupyterLab asks which kernel to start (it does when
    the list of kernels has not loaded yet), accept its choice, the notebook's own Python 3 kernel."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if not accept_kernel_dialog(page) and page.evaluate(IDLE_JS):
            return
        page.wait_for_timeout(500)
    raise AssertionError(f"the kernel did not start within {timeout} s on {page.url}")


def accept_kernel_dialog(page) -> bool:
    """Accept JupyterLab's "Select Kernel" dialog (its choice is Python 3); fail on any other dialog."""
    dialog = page.evaluate("() => document.querySelector('.jp-Dialog') && document.querySelector('.jp-Dialog').textContent")
    if not dialog:
        return False
    if "Select Kernel" in dialog and "Python 3" in dialog:
        page.click(".jp-Dialog .jp-mod-accept")
        page.wait_for_timeout(500)
        return True
    raise AssertionError(f"JupyterLab shows a dialog on {page.url}: {dialog[:300]}")


def run_all(page, attempts: int = 3) -> None:
    """Run > Run All Cells, checked: retried if no cell starts (a menu can miss a tab that has no focus)."""
    for _ in range(attempts):
        page.bring_to_front()
        if accept_kernel_dialog(page):
            wait_for_kernel(page)
        page.click(".jp-Notebook .jp-Cell >> nth=0")
        page.click(".lm-MenuBar-itemLabel:text-is('Run')")
        page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
        try:
            page.wait_for_function(STARTED_JS, timeout=10000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: try again
            page.keyboard.press("Escape")
    raise AssertionError(f"Run All Cells did not start {page.url}")


def _open_and_run(context, port: int, name: str, timeout: float, save: Path | None = None) -> dict:
    """Open one notebook in a fresh tab, run all cells, wait for them and the charts, shut its kernel down;
    with ``save`` (the notebook's file), save it from JupyterLab and measure the file."""
    page = context.new_page()
    try:
        # one workspace per page, reset: the page shows this notebook only
        page.goto(f"http://127.0.0.1:{port}/lab/workspaces/kit-{name}/tree/{name}.ipynb?reset",
                  wait_until="domcontentloaded")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90000)
        wait_for_kernel(page)
        run_all(page)
        started = time.time()
        while True:
            state = page.evaluate(STATE_JS)
            if state["running"] == 0 and state["unrun"] == 0 and state["codeCells"]:
                break
            if time.time() - started > timeout:
                break
            page.wait_for_timeout(500)
        # charts draw asynchronously after their cell finishes
        page.wait_for_timeout(1500)
        for _ in range(20):
            state = page.evaluate(STATE_JS)
            if state["drawn"] == state["charts"]:
                break
            page.wait_for_timeout(500)
        state["seconds"] = round(time.time() - started, 1)
        if save is not None:
            state.update(_save(page, save))
        return state
    finally:   # leave no kernel running
        page.evaluate("() => fetch('/api/kernels').then(r => r.json()).then(ks => Promise.all("
                      "ks.map(k => fetch('/api/kernels/' + k.id, {method: 'DELETE'}))))")
        page.close()


def _save(page, path: Path) -> dict:
    """Save the open notebook (Ctrl+S) and wait until the file holds its outputs: its size and output types."""
    page.click(".jp-Notebook .jp-Cell >> nth=0")
    page.keyboard.press("Control+s")
    for _ in range(60):
        page.wait_for_timeout(500)
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:      # being written
            continue
        mimes = sorted({m for cell in nb["cells"] for out in cell.get("outputs", []) for m in out.get("data", {})})
        if "image/svg+xml" in mimes:
            return {"saved_bytes": path.stat().st_size, "saved_mimetypes": mimes}
    return {"saved_bytes": None, "saved_mimetypes": []}


def run_in_lab(names: list[str], workdir: Path, timeout: float = 150, exercises: list[Path] = ()) -> dict[str, dict]:
    """Open each notebook in JupyterLab (offline browser), run all cells, return what the page shows."""
    from playwright.sync_api import sync_playwright

    root = workdir / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port = _free_port()
    lab = start_lab(root, port)
    blocked: list[str] = []
    results: dict[str, dict] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})

            def route(r):
                url = r.request.url
                if url.startswith(LOCAL):
                    r.continue_()
                else:
                    blocked.append(url)
                    r.abort()

            context.route("**/*", route)
            # One notebook at a time: six kernels and six JupyterLab tabs at once overload a 2-core
            # machine, and a busy tab can miss the "Run All" click. A notebook whose cells did not all
            # run is opened once more in a fresh tab (the UI, not the notebook, is what failed).
            sources = {name: ROOT / "notebooks" / f"{name}.ipynb" for name in names} | {p.stem: p for p in exercises}
            for name, source in sources.items():
                for attempt in range(2):  # noqa: B007 (read after the loop)
                    shutil.copy2(source, root / f"{name}.ipynb")  # no saved outputs
                    save = root / f"{name}.ipynb" if name not in names else None
                    state = _open_and_run(context, port, name, timeout, save=save)
                    if state["running"] == 0 and state["unrun"] == 0 and state["codeCells"]:
                        break
                state["attempts"] = attempt + 1
                results[name] = state
            browser.close()
    finally:
        lab.terminate()
        try:
            lab.wait(timeout=15)
        except subprocess.TimeoutExpired:
            lab.kill()
    results["__blocked__"] = {"urls": blocked}
    return results


def offline_run(workdir: Path) -> dict[str, dict]:
    """This file run as a script in a new network namespace (loopback only): Lab, kernels and browser offline."""
    out = workdir / "lab.json"
    command = [BWRAP, "--dev-bind", "/", "/", "--unshare-net", "--die-with-parent",
               sys.executable, __file__, "--json", str(out), "--workdir", str(workdir)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0 and out.exists(), f"the offline run failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def lab_results(tmp_path_factory):
    need_chromium(CHROMIUM, "the JupyterLab offline tests")
    need_program(BWRAP, "the JupyterLab offline tests", "apt-get install bubblewrap")
    return offline_run(tmp_path_factory.mktemp("lab"))


@pytest.mark.parametrize("name", [p.stem for p in LESSONS])
def test_every_chart_renders_in_jupyterlab_offline(lab_results, name):
    state = lab_results[name]
    expected = len(chart_specs(executed_lessons()[name][0]))
    assert state["running"] == 0 and state["unrun"] == 0, f"{name}: not every cell ran in JupyterLab: {state}"
    assert not state["errors"], f"{name}: errors shown: {state['errors']}"
    assert state["charts"] == expected, f"{name}: {state['charts']} charts in JupyterLab, {expected} expected"
    assert state["drawn"] == expected and state["svg"] == expected and state["canvas"] == 0, f"{name}: {state}"
    assert state["vega"] == expected, f"{name}: charts not drawn by JupyterLab's Vega renderer: {state}"


@pytest.mark.parametrize("name", [p.stem for p in EXERCISES])
def test_every_exercise_chart_renders_and_the_saved_notebook_stays_small(lab_results, name):
    """A solved exercise run in JupyterLab: its charts drawn from the Vega outputs, and saved from
    JupyterLab (which adds a PNG to each chart it drew) it stays under the 300 KB target."""
    state = lab_results[name]
    assert state["running"] == 0 and state["unrun"] == 0, f"{name}: not every cell ran in JupyterLab: {state}"
    assert not state["errors"], f"{name}: errors shown: {state['errors']}"
    assert state["charts"] >= 1 and state["vega"] == state["drawn"] == state["charts"] and state["canvas"] == 0, state
    assert state["saved_bytes"] and state["saved_bytes"] < TARGET_BYTES, f"{name}: saved from JupyterLab: {state}"
    assert {VEGA_MIME, "image/svg+xml"} <= set(state["saved_mimetypes"]), state


def test_the_run_had_no_network_but_loopback(lab_results):
    """Server, kernels and browser ran where the only network interface is the loopback."""
    assert lab_results["__network__"]["interfaces"] == ["lo"], lab_results["__network__"]


def test_the_lab_page_asked_nothing_of_the_internet(lab_results):
    """Any request that would leave the machine was blocked and counted: there must be none at all."""
    blocked = lab_results["__blocked__"]["urls"]
    assert blocked == [], blocked


def _main(argv: list[str]) -> None:
    import argparse
    import socket
    import tempfile

    parser = argparse.ArgumentParser(description="Run every lesson in JupyterLab, offline, and report what was drawn.")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary one)")
    args = parser.parse_args(argv)
    if not CHROMIUM:
        sys.exit("Chromium is not installed")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kit-lab-"))
    from kit.exercises.notebook_bench import solved_copies

    found = run_in_lab([p.stem for p in LESSONS], workdir, exercises=solved_copies(workdir / "solved"))
    found["__network__"] = {"interfaces": sorted(name for _, name in socket.if_nameindex())}
    if args.json:
        args.json.write_text(json.dumps(found, indent=1), encoding="utf-8")
    for name, state in found.items():
        print(name, state)


if __name__ == "__main__":
    _main(sys.argv[1:])
