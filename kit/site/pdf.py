"""Print handouts to PDF (A4, from the page's print stylesheet) with headless Chromium.

    from kit.site.pdf import print_pdfs
    print_pdfs([Path("site/04_moldova.html")])      # -> [site/04_moldova.pdf]

``python -m kit build --pdf`` calls it after writing the pages. :func:`chromium` finds the
browser and ``CHROMIUM_ARGS`` are the flags the kit (its benchmark and browser tests too)
starts it with::

    >>> "--headless" in CHROMIUM_ARGS
    True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import KitError
from ..files import replacing, shown

CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
# How the kit starts headless Chromium on a machine with no network but the package registries:
# without the background-networking flags it keeps trying (and failing) to reach Google's hosts.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync")


def chromium() -> str | None:
    """The Chromium to print with (``$KIT_CHROMIUM``, /usr/bin/chromium, or on PATH)."""
    for candidate in (CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def print_pdfs(pages, say=print, parallel: int | None = None) -> list[Path]:
    """Print each page to ``<page>.pdf`` (A4, from the page's print stylesheet) with headless Chromium.

    Pages print in parallel (one Chromium each, up to the number of cores); a PDF newer than
    its page is kept.
    """
    from concurrent.futures import ThreadPoolExecutor

    exe = chromium()
    if not exe:
        raise KitError("--pdf needs Chromium: install it (Debian: apt-get install chromium) or set KIT_CHROMIUM")
    pages = list(pages)
    with ThreadPoolExecutor(max_workers=max(1, min(parallel or os.cpu_count() or 1, len(pages) or 1))) as pool:
        done = list(pool.map(lambda page: _print_pdf(exe, page, say), pages))
    return done


def _print_pdf(exe: str, page: Path, say) -> Path:
    target = page.with_suffix(".pdf")
    if target.is_file() and target.stat().st_mtime >= page.stat().st_mtime:
        say(f"  {shown(target)}: up to date")
        return target
    with tempfile.TemporaryDirectory(prefix="kit-chromium-") as profile, replacing(target) as tmp:
        command = [
            exe, *CHROMIUM_ARGS, "--disable-extensions", f"--user-data-dir={profile}", "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw", "--virtual-time-budget=15000",
            f"--print-to-pdf={tmp}", page.resolve().as_uri(),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or not tmp.is_file():
            raise KitError(f"Chromium could not print {shown(page)}: {done.stderr.strip()[-500:]}")
    say(f"  printed {shown(target)} ({target.stat().st_size / 1e6:.2f} MB)")
    return target
