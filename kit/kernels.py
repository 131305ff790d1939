"""Start Jupyter kernels of this Python and drive them from ordinary (synchronous) code.

Both the handout build (``kit.site.execute``) and the grader (``kit.exercises.sandbox``)
run notebooks in kernels; both need the same three things, written here once:

- a kernel that runs this environment's Python (``sys.executable``), whatever kernelspecs
  are installed elsewhere, and skips a slow optional import (below)::

      >>> kernel_argv()[0] == sys.executable
      True

- an ``AsyncKernelManager`` that starts that kernel (:func:`kernel_manager`);
- :func:`run_all`: coroutines run with at most ``limit`` at a time, from code that may
  itself be inside a running event loop (Jupyter, Playwright's sync API), in which case
  they run in a thread with a loop of their own::

      >>> async def double(x):
      ...     return 2 * x
      >>> run_all([lambda: double(1), lambda: double(2)], limit=1)
      [2, 4]

Import cost: ``rfc3987-syntax`` (pulled in by ``jsonschema[format-nongpl]``) compiles its
parsers at import, about 1 s in each process that imports nbformat or Altair. It only adds
the ``iri`` / ``iri-reference`` format checks, which neither notebooks nor Vega-Lite's
schema use, so the kernels and the processes that drive them skip it (``SKIP_MODULES``).
"""

from __future__ import annotations

import asyncio
import os
import sys

# Modules that cost much to import and that running notebooks does not need (see the module doc).
SKIP_MODULES = ("rfc3987_syntax",)

_LAUNCHER = (
    "import sys\n"
    "from pathlib import Path\n"
    "if sys.path and (sys.path[0] == '' or Path(sys.path[0]) == Path.cwd()):\n"
    "    del sys.path[0]\n"
    f"for name in {SKIP_MODULES!r}:\n"
    "    sys.modules.setdefault(name, None)\n"
    "from ipykernel import kernelapp as app\n"
    "app.launch_new_instance()\n"
)


def skip_slow_imports() -> None:
    """Make ``import rfc3987_syntax`` fail fast in this process (jsonschema then skips it)."""
    for name in SKIP_MODULES:
        sys.modules.setdefault(name, None)


def kernel_argv() -> list[str]:
    """The command that starts a kernel: this Python, ipykernel, no slow optional imports."""
    return [sys.executable, "-c", _LAUNCHER, "-f", "{connection_file}"]


def kernel_manager():
    """An ``AsyncKernelManager`` whose ``python3`` kernel is always :func:`kernel_argv`."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelSpecs(KernelSpecManager):
        """Always this environment's Python, whatever kernelspecs are installed elsewhere."""

        def get_kernel_spec(self, kernel_name):
            return KernelSpec(argv=kernel_argv(), display_name="Python 3", language="python", env={}, metadata={})

    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=ThisPythonKernelSpecs())


def run_all(factories: list, limit: int | None = None) -> list:
    """Await ``factory()`` for each coroutine factory, at most ``limit`` at a time (default: the
    number of cores); return the results in order. Works inside a running event loop too."""
    if not factories:
        return []
    skip_slow_imports()
    limit = max(1, limit or os.cpu_count() or 1)

    async def main():
        gate = asyncio.Semaphore(limit)

        async def guarded(factory):
            async with gate:
                return await factory()

        return await asyncio.gather(*(guarded(f) for f in factories))

    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop in this thread
        return asyncio.run(main())
    # called from a running loop (Jupyter, Playwright's sync API): run in a thread of its own
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()
