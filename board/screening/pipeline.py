"""The screening pipeline: screens, masking of personal information, rendering.

Pure Python: the caller gathers the author's activity and the word lists and passes them
in. ``process`` never raises, so a comment is never lost to a screening bug.
"""
from __future__ import annotations

import html
import logging
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import obscene, personal, phrases, profanity, spam
from .activity import AuthorActivity
from .flags import Flag, Severity
from .normalize import Normalized, normalize
from .render import render_markdown
from .wordlists import WordLists

__all__ = ["AuthorActivity", "Screened", "screen", "process", "mask_personal", "MASK"]

log = logging.getLogger(__name__)

#: What readers (and logs) see in place of personal information. No Markdown syntax, so
#: it stays inert wherever it lands (link text, code span, start of a line).
MASK = "(personal information removed)"

Screen = Callable[[str, Normalized, AuthorActivity, WordLists], list[Flag]]

SCREENS: tuple[tuple[str, Screen], ...] = (
    ("profanity", profanity.check),
    ("threat/unlawful/defamation", phrases.check),
    ("obscene", obscene.check),
    ("spam", spam.check),
    ("personal information", personal.check),
)

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Screened:
    """The result of :func:`process`: every flag, and the public HTML (personal data masked)."""

    flags: list[Flag]
    html: str


def _error(what: str, exc: BaseException) -> Flag:
    # Log where it failed but not the message: it may quote the comment.
    log.error("screening: %s failed with %s\n%s", what, type(exc).__name__,
              "".join(traceback.format_tb(exc.__traceback__)))
    return Flag("screen_error", Severity.WARN, f"{what} failed ({type(exc).__name__})", None)


def screen(raw: str, activity: AuthorActivity, lists: WordLists,
           without: frozenset[str] = frozenset()) -> list[Flag]:
    """Run every screen on ``raw`` (but those named in ``without``); a screen that raises
    adds a ``screen_error`` flag."""
    flags: list[Flag] = []
    try:
        norm = normalize(raw)
    except Exception as exc:
        flags.append(_error("normalisation", exc))
        norm = Normalized(raw, raw)
    for name, check in SCREENS:
        if name in without:
            continue
        try:
            flags.extend(check(raw, norm, activity, lists))
        except Exception as exc:
            flags.append(_error(f"the {name} screen", exc))
    return flags


def mask_personal(raw: str, flags: Sequence[Flag], mask: str = MASK) -> str:
    """``raw`` with the span of every personal-information flag replaced by ``mask``."""
    spans = sorted(
        f.span for f in flags if f.code == "personal_information" and f.span is not None
    )
    if not spans:
        return raw
    out: list[str] = []
    pos = 0
    for start, end in spans:
        start, end = max(start, pos), min(end, len(raw))
        if end <= start:
            continue
        out.append(raw[pos:start])
        out.append(mask)
        pos = end
    out.append(raw[pos:])
    return "".join(out)


def _plain_html(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + html.escape(p.strip(), quote=False).replace("\n", "<br>\n") + "</p>\n"
        for p in paragraphs
    )


def process(raw: str, activity: AuthorActivity, lists: WordLists) -> Screened:
    """Screen ``raw``, mask its personal information and render it to public HTML.

    Never raises: a failing screen becomes a ``screen_error`` flag, a failing renderer
    falls back to escaped plain text.
    """
    if _SURROGATE_RE.search(raw):
        # Lone surrogates cannot be stored or sent; same length, so spans still hold.
        raw = _SURROGATE_RE.sub("\ufffd", raw)
    try:
        # Personal information is screened on the rendered text, where it is also masked.
        flags = screen(raw, activity, lists, without=frozenset({"personal information"}))
    except Exception as exc:  # pragma: no cover - screen() already contains failures
        flags = [_error("screening", exc)]
    try:
        out = render_markdown(raw)
    except Exception as exc:
        flags.append(_error("rendering", exc))
        out = _plain_html(raw)
    try:
        out = personal.mask_html(out, raw, flags, MASK)
    except Exception as exc:  # pragma: no cover - defensive
        flags.append(_error("masking the HTML", exc))
        out = f"<p>{html.escape(MASK)}</p>\n"
    return Screened(flags, out)
