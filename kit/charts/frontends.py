"""Where a notebook runs, and which chart renderer works there: one table, read top to bottom.

Each front end is recognised by a module its kernel has imported or by a variable its kernel's
environment carries; the first row that matches wins, and the last row (JupyterLab, Jupyter
Notebook, nbclient, nbconvert) matches everything::

    >>> detect(modules={"google.colab": object()}, environ={}).name
    'colab'
    >>> detect(modules={}, environ={"KAGGLE_KERNEL_RUN_TYPE": "Interactive"}).renderer
    'kaggle'
    >>> detect(modules={}, environ={}).name
    'jupyter'

``renderer`` is the name :func:`kit.charts.render.enable` turns on in live mode: ``"kit-live"``
is the kit's own (a Vega spec compiled in the kernel plus a static SVG, see
:mod:`kit.charts.render`); ``"colab"`` and ``"kaggle"`` are Altair's HTML renderer, which loads
Vega from a CDN (both services are online). ``tested`` says whether the kit's tests run that
front end; Colab, Kaggle and VS Code cannot be reached from where the tests run.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

KIT_LIVE = "kit-live"


@dataclass(frozen=True)
class FrontEnd:
    name: str
    title: str
    renderer: str
    module: str = ""       # matched when this module is imported in the kernel
    env: str = ""          # matched when this environment variable is set (not empty)
    tested: bool = False


FRONT_ENDS = (
    FrontEnd("colab", "Google Colab", "colab", module="google.colab"),
    FrontEnd("kaggle", "Kaggle notebooks", "kaggle", env="KAGGLE_KERNEL_RUN_TYPE"),
    # VS Code's Jupyter renderers (microsoft/vscode-notebook-renderers) list application/vnd.vega.v5+json;
    # where they do not draw it, the bundle's SVG shows
    FrontEnd("vscode", "VS Code", KIT_LIVE, env="VSCODE_PID"),
    FrontEnd("jupyter", "JupyterLab, Jupyter Notebook, nbclient and nbconvert", KIT_LIVE, tested=True),
)


def matches(front_end: FrontEnd, modules, environ) -> bool:
    """True if ``front_end``'s module is imported or its variable is set (a row with neither matches all)."""
    if front_end.module:
        return front_end.module in modules
    if front_end.env:
        return bool(environ.get(front_end.env))
    return True


def detect(modules=None, environ=None) -> FrontEnd:
    """The first row of :data:`FRONT_ENDS` that matches this kernel (``sys.modules``, ``os.environ``)."""
    modules = sys.modules if modules is None else modules
    environ = os.environ if environ is None else environ
    return next(f for f in FRONT_ENDS if matches(f, modules, environ))
