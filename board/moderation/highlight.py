"""Raw comment text with the screening flags' spans highlighted, safely escaped.

Every text segment goes through ``markupsafe.escape``; only the ``<mark>`` tags built
here are markup. Spans are ``[start, end)`` offsets into the raw text.
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..screening.flags import Flag, Severity

_RANK = {Severity.INFO: 0, Severity.WARN: 1, Severity.BLOCK: 2}


def highlight(raw: str, flags: Sequence[Flag]) -> Markup:
    """``raw`` escaped, with each flagged span wrapped in ``<mark>`` naming its flags."""
    spans = []
    for flag in flags:
        if flag.span is None:
            continue
        start, end = max(0, min(flag.span[0], len(raw))), max(0, min(flag.span[1], len(raw)))
        if start < end:
            spans.append((start, end, flag))
    if not spans:
        return escape(raw)
    points = sorted({0, len(raw), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Markup] = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [flag for s, e, flag in spans if s <= start and end <= e]
        text = escape(raw[start:end])
        if not covering:
            out.append(text)
            continue
        worst = max(covering, key=lambda f: _RANK.get(f.severity, 1)).severity
        codes = ", ".join(sorted({f.code for f in covering}))
        out.append(Markup('<mark class="flagged flag-{}" title="{}">{}</mark>').format(
            worst.value, codes, text))
    return Markup("").join(out)
