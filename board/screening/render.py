"""Markdown to safe HTML: ``render = sanitize(markdown(text))``, within a bounded cost.

The Markdown parser and the HTML sanitizer are pure Python and spend their time per
piece of markup, not per character: 20,000 characters of prose render in a few
milliseconds, but 20,000 characters of list items, emphasis markers or ``&`` cost
hundreds. SPEC 3 bounds rendering plus screening of any comment at 50 ms, so a comment
whose markup exceeds :data:`MARKUP_BUDGET` (far beyond any written comment: see
:func:`markup_cost`) is shown as plain text, paragraphs and links kept, built here
from escaped text in one linear pass.
"""
from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from .links import LINK_LIMIT, find_links
from .sanitize import LINK_REL, clean_html

# CommonMark without raw HTML, images or tables: what survives is the allowlist anyway,
# and refusing raw HTML at the parser keeps hostile markup from ever being built.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image", "html_block", "html_inline", "heading", "lheading", "hr"])

# Characters that make the parser or the sanitizer work: line breaks, emphasis, code,
# brackets, escapes and what becomes an entity (heavy); other characters at which the
# parser stops to try its inline rules (light).
_HEAVY = "\n*_`[]<>&\"\\!"
_LIGHT = "#$%+-:=@^{}~|()"
_DROP_HEAVY = str.maketrans("", "", _HEAVY)
_DROP_LIGHT = str.maketrans("", "", _LIGHT)
HEAVY_WEIGHT = 8

#: Most markup rendered as Markdown, in :func:`markup_cost` units. A 20,000-character
#: essay with paragraphs, quotes, emphasis and links uses about a tenth of it.
MARKUP_BUDGET = 4_000


def markup_cost(text: str) -> int:
    """How much work ``text`` makes for the parser and the sanitizer, counted in C."""
    heavy = len(text) - len(text.translate(_DROP_HEAVY))
    light = len(text) - len(text.translate(_DROP_LIGHT))
    return HEAVY_WEIGHT * heavy + light


def render_markdown(text: str) -> str:
    """Render a comment's Markdown body to sanitized HTML (plain text past the budget)."""
    if markup_cost(text) > MARKUP_BUDGET:
        return plain_html(text)
    return clean_html(_md.render(text))


_PARAGRAPHS_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _paragraph_html(paragraph: str, limit: int) -> tuple[str, int]:
    """One paragraph's HTML, and how many links it made (at most ``limit``)."""
    out: list[str] = []
    pos = 0
    links = find_links(paragraph, limit)
    for start, end, href in links:
        out.append(html.escape(paragraph[pos:start], quote=False))
        out.append(f'<a href="{html.escape(href)}" rel="{LINK_REL}">'
                   f"{html.escape(paragraph[start:end], quote=False)}</a>")
        pos = end
    out.append(html.escape(paragraph[pos:], quote=False))
    lines = "".join(out).split("\n")
    return "<p>" + "<br>\n".join(line.strip() for line in lines) + "</p>\n", len(links)


def plain_html(text: str) -> str:
    """``text`` as paragraphs of escaped lines, links made: no Markdown, no parser.

    Safe by construction: every character of ``text`` is escaped, and the only markup
    is ``p``, ``br`` and links to http(s) addresses with the usual ``rel``.
    """
    out: list[str] = []
    left = LINK_LIMIT
    for paragraph in _PARAGRAPHS_RE.split(text.strip()):
        if paragraph.strip():
            rendered, made = _paragraph_html(paragraph, left)
            out.append(rendered)
            left -= made
    return "".join(out)
