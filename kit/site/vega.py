"""The page's Vega runtime, gzipped and base64-encoded, inflated in the browser.

Every kit chart is compiled to Vega when the lesson runs (:func:`kit.charts.figure.compile_vega`),
so a handout needs Vega alone: the ``"vega"`` runtime, 0.58 MB of JavaScript, 0.27 MB on the
page as gzip in base64. A page that also shows Altair's own chart code (``vegaEmbed`` with a
Vega-Lite spec) gets the ``"full"`` runtime, Vega, Vega-Lite and vega-embed (0.90 MB, 0.41 MB
on the page). The page inflates it with the browser's ``DecompressionStream("gzip")``, which
works from ``file://`` (``templates/kit_handout/vega_runtime.js``); a browser without it keeps
the static SVGs. Both are cached under the build cache per vl-convert and Altair version
(making them takes 1.5-2 s each). gzip is written with ``mtime=0``, so two builds give the
same bytes::

    fields = page_fields(cache_dir)
    fields["runtime"]["vega"]       # base64 of the gzipped Vega bundle (sets window.vega)
    fields["runtime"]["full"]       # ... of Vega, Vega-Lite and vega-embed (window.vegaEmbed too)

``VEGA_DEBUG`` holds the versions that Altair's own HTML output expects: with it on the
page, Altair's chart code (``maybeLoadScript`` in its "universal" template) uses the
inlined copy and never loads a script from a CDN. That is an undocumented Altair internal,
so ``pyproject.toml`` pins Altair (``altair==6.3.*``) and ``tests/site/test_build.py`` checks
that Altair's template still reads ``VEGA_DEBUG`` with these keys::

    >>> sorted(json.loads(debug_versions()))
    ['vega_version', 'vegaembed_version', 'vegalite_version']
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from markupsafe import Markup

from ..charts.figure import pack  # gzip (mtime=0) in base64, as the charts' specs
from ..errors import KitError
from ..files import write_text

# What each runtime's bundle exposes. vl-convert bundles the libraries a snippet names, but it
# imports Vega as a default export, which Vega has not (``window.vega`` would be null), so both
# import Vega's module namespace from the copy vl-convert vendors (nothing is fetched: an unknown
# version fails; vega-embed's own import of it is the same module, bundled once).
_VEGA = 'import * as vegaModule from "https://cdn.jsdelivr.net/npm/vega@{version}/+esm"; window.vega = vegaModule;'
RUNTIMES = {"vega": _VEGA, "full": _VEGA + " window.vegaEmbed = vegaEmbed;"}


def debug_versions() -> str:
    """The ``VEGA_DEBUG`` object (JSON) with the versions Altair's chart code asks for."""
    from ..kernels import skip_slow_imports

    skip_slow_imports()
    import altair as alt

    return json.dumps(
        {
            "vega_version": alt.VEGA_VERSION,
            "vegalite_version": alt.VEGALITE_VERSION,
            "vegaembed_version": alt.VEGAEMBED_VERSION,
        },
        sort_keys=True,
    )


def _versions() -> tuple[str, str]:
    return metadata.version("vl-convert-python"), metadata.version("altair")


def _files(cache_dir: Path) -> dict[str, Path]:
    vlc_version, altair_version = _versions()
    stem = f"vl-convert-{vlc_version}-altair-{altair_version}"
    folder = Path(cache_dir) / "vega"
    return {"info": folder / f"{stem}.json", **{name: folder / f"{stem}-{name}.gz.b64" for name in RUNTIMES}}


def is_cached(cache_dir: Path) -> bool:
    """True if the runtimes for these versions are in the cache."""
    return all(path.is_file() for path in _files(cache_dir).values())


def page_fields(cache_dir: Path) -> dict:
    """What the page template needs: the packed runtimes, the versions, ``VEGA_DEBUG``."""
    files = _files(cache_dir)
    if not is_cached(cache_dir):
        _write_runtimes(files)
    fields = json.loads(files["info"].read_text(encoding="utf-8"))
    fields["runtime"] = {name: Markup(files[name].read_text(encoding="ascii")) for name in RUNTIMES}
    fields["debug"] = Markup(fields["debug"])
    return fields


def _write_runtimes(files: dict[str, Path]) -> None:
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    vl_version = vl_version_for_vl_convert()
    for name, snippet in RUNTIMES.items():
        snippet = snippet.replace("{version}", vlc.get_vega_version())
        try:
            code = vlc.javascript_bundle(snippet, vl_version=vl_version)
        except BaseException as error:  # noqa: BLE001 - vl-convert panics (pyo3) on a module it does not vendor
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            raise KitError(f"vl-convert {_versions()[0]} could not bundle Vega {vlc.get_vega_version()} for the pages: {error}") from None
        write_text(files[name], pack(code))
    fields = {
        "vega": vlc.get_vega_version(),
        "vegalite": vl_version.lstrip("v").replace("_", "."),
        "embed": vlc.get_vega_embed_version(),
        "debug": debug_versions(),
    }
    write_text(files["info"], json.dumps(fields, sort_keys=True, indent=1))
