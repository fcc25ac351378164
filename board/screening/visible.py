"""Text as a reader sees it, with a map back to where each character came from.

Personal information is detected on what a reader sees, not on what the author typed:
Markdown emphasis and code markers, zero-width and other format characters and combining
marks vanish; Unicode digits, dashes and spaces and full-width forms become their ASCII
counterpart. :func:`fold_markdown` reads a raw comment that way (escapes and entities
decoded) and :func:`fold_html` reads the text nodes of rendered HTML. Both return a
:class:`Folded` text whose spans map back to the source, so a flag points at what the
author wrote and a mask covers exactly the text nodes that showed the data.

Every step is one translate or one regex scan without backtracking: linear in the input.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .normalize import LazyTable

# Marks a character that disappears from the folded text.
_GONE = "\x00"
# Emphasis and code markers: a reader sees their effect, not the number they split.
_MARKERS = "*_`"
# Never produced by folding, so that folded text cannot fake HTML or Markdown syntax.
_KEEP = frozenset("<>&\\\"'" + _MARKERS)
_DASHES = frozenset("\u2212\u2043\u02d7\u2796\ufe63")
_INVISIBLE = frozenset("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")


def _fold(ch: str) -> str:
    """One source character to one folded character (``_GONE`` when it vanishes)."""
    if ch == "\x00":
        return "\ufffd"  # as the Markdown renderer shows it
    if ch in _MARKERS:
        return _GONE
    if ch.isascii():
        return ch
    category = unicodedata.category(ch)
    if category in ("Cf", "Mn", "Me") or ch in _INVISIBLE:
        return _GONE
    if category in ("Zs", "Zl", "Zp"):
        return " "
    if category == "Pd" or ch in _DASHES:
        return "-"
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    compat = unicodedata.normalize("NFKC", ch)
    if len(compat) == 1 and compat.isascii() and compat.isprintable() and compat not in _KEEP:
        return compat
    return ch


_TABLE = LazyTable(_fold)

_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A backslash escape: the backslash vanishes, the punctuation after it stays.
_ESCAPE_RE = re.compile(r"\\(?=[!-/:-@\[-`{-~\x00])")
# The sanitizer escapes "<" in attribute values, so no branch crosses one: a scan that
# fails stops at the next "<" and the whole text is read once.
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*>")
_LINK_RE = re.compile(r"<a\s(?:[^<>\"']|\"[^<\"]*\"|'[^<']*')*>")
_HREF_RE = re.compile(r"\shref=(?:\"[^\"]*\"|'[^']*'|[^\s>]+)")
#: Tags that do not break a line: their text runs on into the text around them.
INLINE_TAGS = frozenset({"a", "em", "strong", "code", "b", "i", "span"})
_BLOCK_TAGS = ("p", "li", "ul", "ol", "blockquote", "pre")
# What the sanitizer writes, replaced by plain string operations (one C loop each).
_FIXED = [(f"<{t}>", "") for t in INLINE_TAGS] + [(f"</{t}>", "") for t in INLINE_TAGS] \
    + [(f"<{t}>", "\n") for t in _BLOCK_TAGS] + [(f"</{t}>", "\n") for t in _BLOCK_TAGS] \
    + [("<br>", "\n"), ("<br/>", "\n"), ("<br />", "\n")] \
    + [("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")]

def _padded(new: str, length: int) -> str:
    """``new`` followed by ``_GONE`` up to ``length``: replacements keep every offset."""
    return new[:length] + _GONE * (length - len(new[:length]))


class Folded:
    """Folded text, with a map from its offsets back to the source.

    ``padded`` has one character per source character: its folded form, or ``_GONE``
    for one that shows nothing (a marker, a tag, the rest of an entity). ``text`` is
    ``padded`` without ``_GONE``.
    """

    __slots__ = ("source", "padded", "text")

    def __init__(self, source: str, padded: str) -> None:
        self.source = source
        self.padded = padded
        self.text = padded.replace(_GONE, "") if _GONE in padded else padded

    def source_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """The source range that produced each ``[start, end)`` of folded text.

        ``spans`` come in order without overlaps (as matches do), so one walk over the
        runs of ``_GONE`` maps them all, however many there are.
        """
        if len(self.text) == len(self.padded):
            return list(spans)
        source, padded = self.source, self.padded
        runs = _GONE_RUN_RE.finditer(padded)
        run, gone, out = next(runs, None), 0, []
        for start, end in spans:
            while run is not None and run.start() - gone <= start:
                gone += run.end() - run.start()
                run = next(runs, None)
            first = start + gone
            while run is not None and run.start() - gone < end:
                gone += run.end() - run.start()
                run = next(runs, None)
            last = end - 1 + gone
            stop = last + 1
            if source[last] == "&":  # a decoded entity ends where the entity does
                m = _ENTITY_RE.match(source, last)
                if m and padded.count(_GONE, stop, m.end()) == m.end() - stop:
                    stop = m.end()
            out.append((first, stop))
        return out


_GONE_RUN_RE = re.compile(_GONE + "+")


def fold_text(text: str) -> str:
    """``text`` folded, without a map (for short pieces such as link addresses)."""
    return text.translate(_TABLE).replace(_GONE, "")


@lru_cache(maxsize=4096)
def _decoded(entity: str) -> str:
    return _padded(fold_text(html.unescape(entity)), len(entity))


def _entity(m: re.Match[str]) -> str:
    return _decoded(m.group())


def fold_markdown(raw: str) -> Folded:
    """A raw comment as a reader will see it once rendered, mapped to raw offsets."""
    padded = raw.translate(_TABLE)
    if "\\" in padded:
        padded = _ESCAPE_RE.sub(_GONE, padded)
    if "&" in padded:
        padded = _ENTITY_RE.sub(_entity, padded)
    return Folded(raw, padded)


@dataclass
class Link:
    """Where one ``<a href>`` keeps its address and its text."""

    href: tuple[int, int]
    content: tuple[int, int]


@dataclass(frozen=True)
class VisibleHtml:
    """The visible text of rendered HTML and its links with an address."""

    folded: Folded
    links: list[Link]


def fold_html(markup: str) -> VisibleHtml:
    """The text nodes of ``markup`` joined as a reader reads them, mapped to offsets in it.

    Inline tags vanish (``202-<em>555</em>`` reads ``202-555``), any other tag reads as a
    line break.
    """
    links: list[Link] = []

    def link(m: re.Match[str]) -> str:
        href = _HREF_RE.search(markup, m.start(), m.end())
        if href:
            close = markup.find("</a>", m.end())
            links.append(Link((href.start(), href.end()),
                              (m.end(), len(markup) if close < 0 else close)))
        return _GONE * (m.end() - m.start())

    def tag(m: re.Match[str]) -> str:
        shown = "" if m.group(2).lower() in INLINE_TAGS else "\n"
        return _padded(shown, m.end() - m.start())

    padded = markup.translate(_TABLE)
    if "<a" in padded:
        padded = _LINK_RE.sub(link, padded)
    for old, new in _FIXED:
        if old in padded:
            padded = padded.replace(old, _padded(new, len(old)))
    if "<" in padded:
        padded = _TAG_RE.sub(tag, padded)
    if "&" in padded:
        padded = _ENTITY_RE.sub(_entity, padded)
    return VisibleHtml(Folded(markup, padded), links)


def replace_text(markup: str, spans: list[tuple[int, int]], mask: str,
                 removals: Sequence[tuple[int, int]] = ()) -> str:
    """``markup`` with the text of each span replaced by ``mask`` and ``removals`` cut out.

    A span may cross tags: its first piece of text becomes ``mask``, its other pieces
    become empty and the tags between stay, so the markup remains well formed.
    """
    edits: list[tuple[int, int, str]] = [(s, e, "") for s, e in removals]
    for start, end in _merged(spans):
        pos, text = start, mask
        for tag in _TAG_RE.finditer(markup, start, end):
            if tag.start() > pos:
                edits.append((pos, tag.start(), text))
                text = ""
            pos = tag.end()
        if end > pos:
            edits.append((pos, end, text))
    if not edits:
        return markup
    edits.sort()
    out: list[str] = []
    pos = 0
    for start, end, text in edits:
        if start < pos:
            continue
        out.append(markup[pos:start])
        out.append(text)
        pos = end
    out.append(markup[pos:])
    return "".join(out)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined: one mask for each piece of the text."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        elif end > start:
            out.append((start, end))
    return out
