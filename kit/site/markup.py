"""Markdown and code as handout HTML: nbconvert's Markdown renderer, Pygments, links between pages.

    >>> markdown("Some *text*")
    '<p>Some <em>text</em></p>\\n'
    >>> link_pages('<a href="02_spending.ipynb#gap">', {"02_spending"})
    '<a href="02_spending.html#gap">'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..kernels import skip_slow_imports

_NOTEBOOK_LINK = re.compile(r'href="(?![a-z][a-z0-9+.-]*:|#|/)([^"#?]+)\.(ipynb|md)([#?][^"]*)?"')


def markdown(text: str, folder: Path | None = None, attachments=None) -> str:
    """Markdown to HTML (nbconvert's renderer: tables, local images embedded as data URLs).

    Maths is left as typed (``$...$``): a handout loads no MathJax.

    >>> markdown("Some *text*")
    '<p>Some <em>text</em></p>\\n'
    """
    skip_slow_imports()
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    renderer = IPythonRenderer(
        escape=False,
        embed_images=folder is not None,
        path=str(folder or ""),
        attachments=attachments or {},
        anchor_link_text="¶",
    )
    markup = MarkdownWithMath(renderer=renderer).render(text)
    return markup.replace('<a class="anchor-link" href=', '<a class="anchor-link" aria-label="Link to this section" href=')


def link_pages(markup: str, pages: set[str]) -> str:
    """Point links to other notebooks (``x.ipynb``) at their handouts (``x.html``).

    >>> link_pages('<a href="02_spending.ipynb#gap">', {"02_spending"})
    '<a href="02_spending.html#gap">'
    >>> link_pages('<a href="https://x.org/a.ipynb">', {"a"})
    '<a href="https://x.org/a.ipynb">'
    """

    def fix(match):
        stem = match.group(1)
        name = stem.rsplit("/", 1)[-1]
        if name in pages and "/" not in stem.lstrip("./"):
            return f'href="{name}.html{match.group(3) or ""}"'
        return match.group(0)

    return _NOTEBOOK_LINK.sub(fix, markup)


# --------------------------------------------------------------------------- code


@lru_cache(maxsize=1)
def _pygments():
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    return PythonLexer(), HtmlFormatter(nowrap=True)


def highlight(code: str) -> str:
    from pygments import highlight as _highlight

    lexer, formatter = _pygments()
    return f'<pre class="highlight"><code>{_highlight(code, lexer, formatter)}</code></pre>'


@lru_cache(maxsize=1)
def pygments_css() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style="default").get_style_defs(".highlight")
