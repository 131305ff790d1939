"""Remove terminal escape sequences and control characters from text that a kernel, a library or a
student wrote.

Tracebacks and log lines carry colour codes (CSI: ``ESC [ 31 m``), hyperlinks and window
titles (OSC: ``ESC ] 8 ; ; url BEL``) and other escape sequences, in their 7-bit (``ESC [``)
and 8-bit (``\\x9b``) forms; none of them belongs in an error message, a feedback page or a
handout::

    >>> strip_escapes("\\x1b[0;31mValueError\\x1b[0m: \\x1b]8;;file:///x.py\\x07x.py\\x1b]8;;\\x07 line 3\\x1b(B")
    'ValueError: x.py line 3'
    >>> strip_escapes("\\x9d0;pwned\\x07title \\x9b31mred")
    'title red'

:func:`strip_controls` also drops every C0 and C1 control character left over (and the
bidirectional overrides that make text read differently from how it is stored)::

    >>> strip_controls("ana\\x1b]52;c;Y2xpcA==\\x07\\x00\\x85\\u202emaria\\ttab")
    'ana maria tab'
    >>> strip_controls("line 1\\nline 2", keep="\\n")
    'line 1\\nline 2'
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC ... BEL or ST: hyperlinks, window titles, clipboard
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC ... ST
    r"|[\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # their 8-bit forms
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\x1b[ -/]*[0-~]"  # the other escape sequences (character sets, keypad modes, ...)
)
# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_escapes(text: str) -> str:
    """``text`` without terminal escape sequences (CSI, OSC, DCS and the other ESC sequences, 7- and 8-bit)."""
    return _ESCAPES.sub("", text)


def strip_controls(text: str, keep: str = "") -> str:
    """``text`` without escape sequences or control characters; tabs, line breaks and the
    characters in ``keep`` aside, each control becomes nothing (a tab or line break not kept becomes a space)."""
    def one(match) -> str:
        char = match.group()
        if char in keep:
            return char
        return " " if char in "\t\n\r\x0b\x0c\x85\u2028\u2029" else ""
    return _CONTROLS.sub(one, strip_escapes(str(text)))
