"""Remove terminal escape sequences from text that a kernel or a library printed.

Tracebacks and log lines carry colour codes (CSI: ``ESC [ 31 m``), hyperlinks and window
titles (OSC: ``ESC ] 8 ; ; url BEL``) and other escape sequences; none of them belongs in
an error message, a feedback page or a handout::

    >>> strip_escapes("\\x1b[0;31mValueError\\x1b[0m: \\x1b]8;;file:///x.py\\x07x.py\\x1b]8;;\\x07 line 3\\x1b(B")
    'ValueError: x.py line 3'
"""

from __future__ import annotations

import re

_ESCAPES = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST: hyperlinks, window titles
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC ... ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\x1b[ -/]*[0-~]"  # the other escape sequences (character sets, keypad modes, ...)
)


def strip_escapes(text: str) -> str:
    """``text`` without terminal escape sequences (CSI, OSC, DCS and the other ESC sequences)."""
    return _ESCAPES.sub("", text)
