"""The one module that calls bleach: HTML in, allowlisted HTML out.

bleach 6.4.0 is that library's final release, so every use of it stays here and
it can be replaced in one place. Clean after Markdown renders, never before.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from urllib.parse import urlsplit

from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

from .links import LINK_LIMIT, find_links

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "a", "code", "pre", "blockquote", "ul", "ol", "li"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Characters browsers drop from a URL before reading its scheme ("java\tscript:").
_URL_IGNORED = {c: None for c in range(0x21)} | {0x7F: None}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Only ``href`` and ``rel`` on links, and only absolute http, https or mailto URLs:
    a relative or scheme-less link has no meaning inside an embedded thread."""
    if tag != "a":
        return False
    if name == "rel":
        return True
    if name != "href":
        return False
    try:
        scheme = urlsplit(value.translate(_URL_IGNORED)).scheme.lower()
    except ValueError:
        return False
    return scheme in ALLOWED_PROTOCOLS


def _set_rel(attrs: dict, new: bool = False) -> dict:
    """Give every link the same ``rel``, whatever the author wrote."""
    attrs[(None, "rel")] = LINK_REL
    return attrs


class _LinearLinkify(LinkifyFilter):
    """bleach's link filter with a link finder linear in the text (:mod:`.links`).

    bleach's own pattern and its trimming of trailing parentheses are quadratic on runs
    of ``(`` and of ``1-1-1``; everything else (existing links, skipped tags, entities,
    callbacks) stays bleach's. At most ``LINK_LIMIT`` links are made per comment.
    """

    made = 0  # links made so far in this document (one filter per clean)

    def handle_links(self, src_iter: Iterable[dict]) -> Iterator[dict]:
        for token in src_iter:
            if token["type"] != "Characters":
                yield token
                continue
            text = token["data"]
            end = 0
            for start, stop, href in find_links(text, LINK_LIMIT - self.made):
                self.made += 1
                attrs = self.apply_callbacks({(None, "href"): href, "_text": text[start:stop]},
                                             True)
                if attrs is None:
                    continue
                label = str(attrs.pop("_text", ""))
                if start > end:
                    yield {"type": "Characters", "data": text[end:start]}
                yield {"type": "StartTag", "name": "a", "data": attrs}
                yield {"type": "Characters", "data": label}
                yield {"type": "EndTag", "name": "a"}
                end = stop
            if end < len(text):
                yield {"type": "Characters", "data": text[end:]}


# One parse does both jobs: the sanitizer, then linkify as a filter over the same tree
# (cleaning and then linkifying separately parsed the HTML twice; see bench/README.md).
_cleaner = Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(_LinearLinkify, callbacks=[_set_rel], skip_tags={"pre", "code"},
                     parse_email=False)],
)


def clean_html(html: str) -> str:
    """Reduce ``html`` to the allowlist of SPEC 3.1 and set ``rel`` on every link."""
    return _cleaner.clean(html)
