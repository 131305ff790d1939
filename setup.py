"""Build hook: the wheel carries the datasets as ``kit/_data`` (copied from the top-level ``data/``).

``data/`` stays the one copy in the repository; the build copies its files into the package,
so ``kit.load`` works from any install (see ``kit.data.package``). Editable installs skip the
copy: in the clone, ``kit`` reads ``data/`` itself. Everything else is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PACKAGED = Path("kit") / "_data"   # kit.data.package.PACKAGED_DATA_DIR


class BuildWithData(build_py):
    """``build_py`` that also copies ``data/*`` (files, no hidden ones) into ``<build>/kit/_data``."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (DATA / "datapackage.json").is_file():
            raise SystemExit(f"setup.py: no {DATA / 'datapackage.json'}: the wheel must carry the datasets")
        target = Path(self.build_lib) / PACKAGED
        target.mkdir(parents=True, exist_ok=True)
        for file in sorted(DATA.iterdir()):
            if file.is_file() and not file.name.startswith("."):
                shutil.copyfile(file, target / file.name)

    def get_outputs(self, include_bytecode=True):
        extra = [str(Path(self.build_lib) / PACKAGED / f.name) for f in sorted(DATA.iterdir())
                 if f.is_file() and not f.name.startswith(".")] if DATA.is_dir() else []
        return super().get_outputs(include_bytecode) + extra


setup(cmdclass={"build_py": BuildWithData})
