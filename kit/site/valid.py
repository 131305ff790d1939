"""Outputs' HTML made valid for the W3C Nu checker: what pandas writes that HTML5 does not allow.

pandas Styler tables put a ``<style>`` element in front of their table (HTML5 allows it only
in ``<head>``), and ``DataFrame.to_html`` writes the obsolete ``border="1"`` on its tables.
:func:`lift_styles` takes the ``<style>`` elements out (the page writes them in its head; their
rules name the table's own id, so they change nothing else), :func:`drop_border` the attribute
(the kit's stylesheet draws the tables' lines)::

    >>> lift_styles('<style type="text/css">\\n#T_kit1 td {color: red}\\n</style>\\n<table id="T_kit1"></table>')
    ('<table id="T_kit1"></table>', ['#T_kit1 td {color: red}'])
    >>> drop_border('<table border="1" class="dataframe">')
    '<table class="dataframe">'
"""

from __future__ import annotations

import re

_STYLE = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>\s*", re.S | re.I)
_BORDER = re.compile(r'(<table\b[^>]*?)\s+border="[^"]*"', re.I)


def lift_styles(markup: str) -> tuple[str, list[str]]:
    """The markup without its ``<style>`` elements, and their CSS (stripped), in order."""
    found = [css.strip() for css in _STYLE.findall(markup)]
    return (_STYLE.sub("", markup) if found else markup), [css for css in found if css]


def drop_border(markup: str) -> str:
    """The markup with no ``border`` attribute on its tables."""
    return _BORDER.sub(r"\1", markup)
