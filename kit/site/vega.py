"""Vega, Vega-Lite and vega-embed as one inline script for a handout page.

``vl_convert.javascript_bundle()`` gives the three libraries as one script (about 0.9 MB,
1.5-2 s to produce), so it is cached under the build cache per vl-convert and Altair
version. The bundle has top-level ``const`` declarations, so the page wraps it in a
function scope; it sets ``window.vega``, ``window.vegaLite`` and ``window.vegaEmbed``.

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

from ..files import write_text


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


def _files(cache_dir: Path) -> tuple[Path, Path]:
    vlc_version, altair_version = _versions()
    stem = f"vl-convert-{vlc_version}-altair-{altair_version}"
    folder = Path(cache_dir) / "vega"
    return folder / f"{stem}.js", folder / f"{stem}.json"


def is_cached(cache_dir: Path) -> bool:
    """True if the bundle for these versions is in the cache."""
    return all(path.is_file() for path in _files(cache_dir))


def page_fields(cache_dir: Path) -> dict:
    """What the page template needs: the wrapped-ready bundle, its versions, ``VEGA_DEBUG``."""
    script, info = _files(cache_dir)
    if not (script.is_file() and info.is_file()):
        _write_bundle(script, info)
    fields = json.loads(info.read_text(encoding="utf-8"))
    bundle = script.read_text(encoding="utf-8")
    fields["bundle"] = Markup(bundle)
    fields["debug"] = Markup(fields["debug"])
    return fields


def _write_bundle(script: Path, info: Path) -> None:
    import vl_convert as vlc
    from altair.utils._importers import vl_version_for_vl_convert

    vl_version = vl_version_for_vl_convert()
    bundle = vlc.javascript_bundle(vl_version=vl_version)
    # an inline script must not contain its own end tag or an HTML comment opener
    bundle = bundle.replace("</script", "<\\/script").replace("<!--", "<\\!--")
    fields = {
        "vega": vlc.get_vega_version(),
        "vegalite": vl_version.lstrip("v").replace("_", "."),
        "embed": vlc.get_vega_embed_version(),
        "debug": debug_versions(),
    }
    write_text(script, bundle)
    write_text(info, json.dumps(fields, sort_keys=True, indent=1))
