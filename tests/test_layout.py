"""The package's layout: imports run one way (function-level imports included), and the command line stays in kit.cli."""

import ast
from pathlib import Path

from conftest import ROOT

KIT = ROOT / "kit"


def _modules() -> dict[str, Path]:
    found = {}
    for path in KIT.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    """The kit modules ``name`` imports anywhere in its code (inside functions too)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            wanted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            wanted = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module for alias in node.names]
        else:
            continue
        for target in wanted:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            while target.startswith("kit") and target != name and not name.startswith(target + "."):
                targets.add(target)    # the module, and the packages above it that Python imports first
                target = target.rpartition(".")[0]
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _reaches(graph, start, goal) -> bool:
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        for nxt in graph[current] - seen:
            if nxt == goal:
                return True
            seen.add(nxt)
            todo.append(nxt)
    return False


def test_no_import_cycle_in_kit():
    """No module reaches itself, counting that importing ``kit.a.b`` first runs ``kit/a/__init__.py``."""
    graph = _graph()
    cycles = [name for name in graph if _reaches(graph, name, name)]
    assert not cycles, f"import cycles through: {cycles}"


def test_release_and_grade_never_import_each_other():
    graph = _graph()
    assert not _reaches(graph, "kit.exercises.release", "kit.exercises.grade")
    assert not _reaches(graph, "kit.exercises.grade", "kit.exercises.release")


def test_only_kit_cli_holds_command_line_code():
    for name, path in _modules().items():
        if name.startswith("kit.cli"):
            continue
        defined = {node.name for node in ast.parse(path.read_text(encoding="utf-8")).body
                   if isinstance(node, ast.FunctionDef)}
        assert not {"add_arguments", "run"} & defined, f"{name} defines command-line functions"


def test_ruff_finds_nothing():
    """The lint rules in pyproject.toml ([tool.ruff]) hold over kit/ and tests/."""
    import shutil
    import subprocess
    import sys
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    run = subprocess.run([ruff, "check", "kit", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def _readme_tree() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("```\nkit/\n")
    return text[start:text.index("```", start + 3)]


def test_the_readme_tree_names_every_module_and_nothing_else():
    """The README's map of kit/ matches the folders: every module and subpackage named, no stale name."""
    import re

    tree = _readme_tree()
    named = set(re.findall(r"\b([a-z_]+)(?:\.py|/)", tree)) | set(re.findall(r"(?:^|[ ,;])([a-z_]+)(?=[,\s(]|$)", tree, re.M))
    modules = {p.stem for p in KIT.rglob("*.py") if p.stem not in ("__init__", "__main__") and "assets" not in p.parts}
    packages = {p.parent.name for p in KIT.rglob("__init__.py") if p.parent != KIT}
    assert not (modules | packages) - named, f"not in the README's tree: {sorted((modules | packages) - named)}"
    listed = set(re.findall(r"\b([a-z_]+)\.py\b", tree))
    assert not listed - modules, f"named in the README but not in kit/: {sorted(listed - modules)}"
    folder = None
    for line in tree.splitlines():
        starts = re.match(r"  ([a-z_]+)/\s+(.*)", line)
        if starts:
            folder, names = starts.group(1), starts.group(2)
        elif folder and re.match(r"\s{10,}\S", line):
            names = line                       # a folder's list goes on
        else:
            folder = None
            continue
        for name in re.findall(r"\b([a-z_]+)\b", re.sub(r"\(.*?\)", "", names)):
            if name not in {"main", "and", "the", "command", "table", "for", "grading", "runs", "inside", "what", "comes", "back"}:
                assert (KIT / folder / f"{name}.py").exists(), f"README: kit/{folder}/{name}.py does not exist"
