"""Text that XML 1.0 can carry.

XML 1.0 forbids most C0 control characters, lone surrogates and U+FFFE/U+FFFF, even as
character references: a feed holding one is not XML at all, and readers drop it whole.
Stored text (titles, names, comments, imported or older data) may hold them.
"""
from __future__ import annotations

import re

# Everything outside XML 1.0's Char production (tab, newline, carriage return and the rest).
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML_CHAR.sub("", text)
