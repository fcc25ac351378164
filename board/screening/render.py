"""Markdown to safe HTML: ``render = sanitize(markdown(text))``."""
from __future__ import annotations

from markdown_it import MarkdownIt

from .sanitize import clean_html

# CommonMark without raw HTML, images or tables: what survives is the allowlist anyway,
# and refusing raw HTML at the parser keeps hostile markup from ever being built.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image", "html_block", "html_inline", "heading", "lheading", "hr"])


def render_markdown(text: str) -> str:
    """Render a comment's Markdown body to sanitized HTML."""
    return clean_html(_md.render(text))
