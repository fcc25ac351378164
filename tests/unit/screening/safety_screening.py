"""Checks that rendered HTML is safe, by parsing it (never by searching strings)."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

from bleach._vendor import html5lib  # the parser bleach itself uses

from board.screening.sanitize import ALLOWED_PROTOCOLS, ALLOWED_TAGS, LINK_REL

ALLOWED_ATTRIBUTES = {("a", "href"), ("a", "rel")}
# Browsers ignore these in a URL before reading its scheme.
_IGNORED = {c: None for c in range(0x21)} | {0x7F: None}


def check_href(value: str) -> None:
    scheme = urlsplit(value.translate(_IGNORED)).scheme.lower()
    assert scheme in ALLOWED_PROTOCOLS, value


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values arrive unescaped
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.other.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.other.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.other.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.other.append("CDATA or unknown declaration")


def assert_safe_html(html: str) -> None:
    """Parse ``html`` with two parsers and check every element and attribute."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    assert parser.other == [], html
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, (tag, html)
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), html
        for name, value in attrs:
            assert (tag, name) in ALLOWED_ATTRIBUTES, (tag, name, html)
            assert value is not None
            if name == "href":
                check_href(value)
            if name == "rel":
                assert value == LINK_REL
        if tag == "a":
            assert ("rel", LINK_REL) in attrs, html
    # The HTML5 parser a browser would use: same conclusions, no parser differential.
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        if element is fragment:
            continue
        assert element.tag in ALLOWED_TAGS, (element.tag, html)
        for name, value in element.attrib.items():
            assert (element.tag, name) in ALLOWED_ATTRIBUTES, (element.tag, name, html)
            if name == "href":
                check_href(value)
