"""Links in a comment, for the spam screen."""
from __future__ import annotations

import re

# An explicit link: a scheme or "www." (what readers will see as a link), in folded text.
_URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'`]+")


def count_links(folded: str) -> int:
    """How many explicit links (``http://``, ``https://``, ``www.``) a folded text holds."""
    if "://" not in folded and "www." not in folded:
        return 0
    return len(_URL_RE.findall(folded))
