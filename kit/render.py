"""How Altair charts are displayed: live in JupyterLab, or inside an HTML handout.

The handout build sets ``KIT_HANDOUT=1`` in each kernel's environment. ``enable()``
(called when ``kit.charts`` is imported) picks the renderer from that:

- live (JupyterLab, no internet needed): Altair's ``jupyter`` renderer with
  ``offline=True`` (an anywidget that carries its own JavaScript);
- handout: the kit's ``kit-handout`` renderer (see the handouts build), which writes
  HTML that the page's single inlined copy of Vega draws.
"""

from __future__ import annotations

import os

ENV_VAR = "KIT_HANDOUT"


def in_handout() -> bool:
    """True while the handout build executes a notebook.

    >>> import os; os.environ.pop("KIT_HANDOUT", None) and None; in_handout()
    False
    """
    return os.environ.get(ENV_VAR, "") not in ("", "0")


def enable() -> str:
    """Enable the renderer that fits where the notebook runs; return its name."""
    import altair as alt

    if in_handout():
        raise NotImplementedError("the handout renderer is added by the handouts build")
    alt.renderers.enable("jupyter", offline=True)
    return "jupyter"
