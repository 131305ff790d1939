"""Which kit files some code can run: the closure of its imports, read from the source (nothing is imported).

The build's cache keys hash these files (see ``kit.site.cache``)::

    >>> files = reach(["kit.lesson"])
    >>> KIT_DIR / "lesson.py" in files and KIT_DIR / "data" / "loader.py" in files
    True
    >>> any("exercises" in p.parts or "cli" in p.parts for p in files)
    False

Every ``import`` and ``from ... import`` of a reached module is followed, inside functions
too (a lazy import still runs), and so is ``importlib.import_module`` with a name built from
``__name__`` and a module-level literal (the lazy attributes of ``kit`` and ``kit.data``: ``kit.load``
reaches ``kit.data.loader``). Importing a module runs its packages' ``__init__`` too, and a
reached package's data files (``kit/assets/``) count with it. A dynamic import whose name
cannot be read this way reaches the whole of its package (never less than it can run).

``LEFT_OUT`` names the modules the keys leave out (with what only they import), and why.
"""

from __future__ import annotations

import ast
import json
import re
from functools import lru_cache
from pathlib import Path

from ..files import ROOT
from ..notebook import cell_source

KIT_DIR = ROOT / "kit"
#: Modules left out of the closure, with what only they import.
LEFT_OUT = {
    # The data checks: ``kit.load`` runs them, but what they decide is a verdict (pass or fail),
    # ``check-data``'s business; the data they check is hashed itself. Editing a check re-runs nothing.
    "kit.data.validate": "the data checks' verdict",
}
_DOCSTRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'')
_STATEMENT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]+)|import[ \t]+([^\n#;]+))", re.M)
_KIT_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(kit(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[\w \t,]+)"
                         r"|import[ \t]+(kit(?:\.\w+)*(?:[ \t]*,[ \t]*kit(?:\.\w+)*)*))", re.M)


def modules(kit_dir: Path = KIT_DIR) -> dict[str, Path]:
    """Every kit module by dotted name (a package by its ``__init__.py``)."""
    found = {}
    for path in kit_dir.rglob("*.py"):
        rel = path.relative_to(kit_dir.parent).with_suffix("")
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _known(name: str, known: dict) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def _literal_names(tree: ast.Module, node: ast.expr) -> list[str] | None:
    """The strings ``TABLE[...]`` can give when ``TABLE`` is a module-level dict, list or tuple literal (else None)."""
    if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
        return None
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.value.id for t in statement.targets):
            try:
                value = ast.literal_eval(statement.value)
            except ValueError:
                return None
            values = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else []
            return [v for v in values if isinstance(v, str)] or None
    return None


def _dynamic(tree: ast.Module, call: ast.Call, name: str) -> list[str] | None:
    """The names ``importlib.import_module(...)`` can import, or None if they cannot be read."""
    if not call.args:
        return None
    arg = call.args[0]
    parts = arg.values if isinstance(arg, ast.JoinedStr) else [arg]
    names = [""]
    for part in parts:
        value = part.value if isinstance(part, ast.FormattedValue) else part
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            options = [value.value]
        elif isinstance(value, ast.Name) and value.id == "__name__":
            options = [name]
        else:
            options = _literal_names(tree, value)
            if options is None:
                return None
        names = [n + o for n in names for o in options]
    return names


def _imports(name: str, path: Path, known: dict) -> set[str]:
    """The kit modules ``name`` imports anywhere in its code.

    The import statements are read with a regular expression once docstrings are removed (40
    times faster than walking the syntax tree, which would take most of a no-change rebuild);
    only a module that calls ``import_module`` is parsed.
    """
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    text = path.read_text(encoding="utf-8")
    wanted: list[str] = []
    for dots, module, items, plain in _STATEMENT.findall(_DOCSTRING.sub("", text)):
        if plain:
            wanted += [n.split(" as ")[0].strip() for n in plain.split(",")]
            continue
        base = package[: len(package) - len(dots) + 1] if dots else []
        module = ".".join(base + ([module] if module else []))
        for item in items.strip("()").split(","):
            item = item.split(" as ")[0].strip()
            wanted.append(f"{module}.{item}" if f"{module}.{item}" in known else module)
    if "import_module(" in text:
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
                names = _dynamic(tree, node, name)
                wanted += names if names is not None else [m for m in known if m.startswith(".".join(package) + ".")]
    return {found for target in wanted if (found := _known(target, known)) and found.split(".")[0] == "kit"}


def reach(roots, kit_dir: Path = KIT_DIR, data: bool = True, packages: bool = True) -> set[Path]:
    """The kit files that importing ``roots`` (dotted names) can run.

    ``data``: with the data files of reached packages; ``packages``: with the ``__init__.py`` of
    the packages that hold them (``False`` for code the build runs itself, which has imported them).
    """
    return set(_reach(tuple(sorted(roots)), Path(kit_dir), data, packages, _stamp(Path(kit_dir))))


def _stamp(kit_dir: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in kit_dir.rglob("*.py") if "__pycache__" not in p.parts))


@lru_cache(maxsize=8)
def _reach(roots: tuple, kit_dir: Path, data: bool, packages: bool, stamp: tuple) -> frozenset[Path]:
    known = modules(kit_dir)
    todo = [r for root in roots if (r := _known(root, known))]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name in LEFT_OUT:
            continue
        seen.add(name)
        parent = name.rpartition(".")[0]
        todo += [parent] if parent and packages else []
        todo += sorted(_imports(name, known[name], known) - seen)
    files = {known[name] for name in seen}
    for name in seen if data else ():
        if known[name].name == "__init__.py":
            files |= _package_data(known[name].parent)
    return frozenset(files)


def _package_data(folder: Path) -> set[Path]:
    """A package's files that are not Python modules: in its folder and its non-package subfolders."""
    found = set()
    for path in folder.iterdir():
        if path.name.startswith(".") or path.name == "__pycache__":
            continue
        if path.is_file() and path.suffix not in (".py", ".pyc"):
            found.add(path)
        elif path.is_dir() and not (path / "__init__.py").exists():
            found |= {p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")}
    return found


def lesson_imports(notebooks) -> set[str]:
    """The kit modules the code cells of ``notebooks`` import (``kit`` itself always).

    >>> sorted(lesson_imports([]))
    ['kit']
    """
    names = {"kit"}
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue  # the build reports an unreadable notebook itself
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            for module, items, plain in _KIT_IMPORT.findall(cell_source(cell)):
                if plain:
                    names |= {n.strip() for n in plain.split(",")}
                else:
                    items = [i.split(" as ")[0].strip() for i in items.strip("()").split(",")]
                    names |= {module} | {f"{module}.{item}" for item in items if item}
    return names
