"""The live lesson reads once in JupyterLab: prose cells open with their code folded, and
``make lab`` opens without the news prompt (the kit's JupyterLab settings overrides).

No kernel: the notebooks' metadata and the overrides file are read as files; one ``lab`` test
asks a real JupyterLab server which defaults it serves with the kit's overrides.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from kit.lessons.folding import writes_only_prose

LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OVERRIDES = ROOT / "lab" / "settings" / "overrides.d" / "eusec-kit.json"
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def _hidden(cell) -> bool:
    return bool((cell.metadata.get("jupyter") or {}).get("source_hidden"))


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_prose_cells_start_folded_and_analysis_stays_open(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    wrong = [c.id for c in code if _hidden(c) != writes_only_prose(c.source)]
    assert wrong == [], f"{notebook.name}: fold these cells as prose or unfold them (python -m kit.lessons.folding): {wrong}"
    assert any(_hidden(c) for c in code), f"{notebook.name}: no prose cell folded"
    charts = [c for c in code if re.search(r"^\s*(chart\s*=\s*)?charts\.(?!gaps\b)\w+\(|^\s*moldova_map\(", c.source, re.M)]
    assert charts and not any(_hidden(c) for c in charts), f"{notebook.name}: a chart cell is folded"
    assert all(c.outputs == [] and c.execution_count is None for c in code), f"{notebook.name}: saved with outputs"


def test_folding_only_touches_prose_cells():
    assert writes_only_prose('n = len(rows)\nmd(f"""There are {n} rows.""")')
    assert writes_only_prose('for x in xs:\n    md(x)')
    assert not writes_only_prose("charts.ranking(members, year=latest)")
    assert not writes_only_prose('md("Below:")\ndisplay(table)')
    assert not writes_only_prose("x = 1")  # shows nothing: not prose either
    assert not writes_only_prose("md(")  # not Python


def test_the_lab_overrides_turn_off_the_news_prompt_and_match_jupyterlabs_schemas():
    import jsonschema

    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    for plugin, values in overrides.items():
        package, name = plugin.split(":")
        schema = json.loads((SCHEMAS / package / f"{name}.json").read_text(encoding="utf-8"))
        for key, value in values.items():
            assert key in schema["properties"], f"{plugin}: no setting {key!r} in JupyterLab's schema"
            jsonschema.validate(value, schema["properties"][key])


def test_make_lab_and_binder_install_the_overrides():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^lab: .*\$\(LAB_OVERRIDES\)", makefile, re.M)
    assert "share/jupyter/lab/settings/overrides.d/eusec-kit.json" in makefile
    assert "lab/settings/overrides.d/eusec-kit.json" in (ROOT / "postBuild").read_text(encoding="utf-8")


@pytest.mark.lab
def test_jupyterlab_serves_the_kits_defaults(tmp_path):
    """A real JupyterLab server, with the overrides where ``make lab`` installs them, serves them as defaults."""
    settings = tmp_path / "settings"
    (settings / "overrides.d").mkdir(parents=True)
    (settings / "overrides.d" / OVERRIDES.name).write_bytes(OVERRIDES.read_bytes())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    jupyter = Path(sys.executable).parent / "jupyter"
    lab = subprocess.Popen([str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", "--ServerApp.token=",
                            f"--ServerApp.root_dir={tmp_path}", f"--LabApp.app_settings_dir={settings}", "--allow-root"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification"
        for _ in range(120):
            try:
                schema = json.load(urllib.request.urlopen(url, timeout=2))["schema"]
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start within 60 s")
        assert schema["properties"]["fetchNews"]["default"] == "false"
        assert schema["properties"]["checkForUpdates"]["default"] is False
    finally:
        lab.terminate()
        lab.wait(timeout=15)
