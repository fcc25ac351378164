"""Obscene screen: explicit terms and links to blocked (pornographic) domains."""
from __future__ import annotations

from .activity import AuthorActivity
from .flags import Flag, Severity
from .normalize import Normalized
from .profanity import MAX_FLAGS
from .wordlists import WordLists


def check(text: str, norm: Normalized, activity: AuthorActivity, lists: WordLists) -> list[Flag]:
    """WARN for an explicit term, BLOCK for a link to (a subdomain of) a blocked domain.

    Domain names are matched on the normalised words, so a look-alike spelling
    ("pоrnhub.com" with a Cyrillic o, full-width letters) is caught as well.
    """
    flags: list[Flag] = []
    for hit in lists.matcher.scan(norm):
        if hit.category == "obscene":
            flags.append(Flag("obscene", Severity.WARN, f'explicit term "{hit.entry}"',
                              (hit.start, hit.end)))
        elif hit.category == "domain":
            flags.append(Flag("obscene", Severity.BLOCK,
                              f"link to blocked domain {hit.entry}", (hit.start, hit.end)))
    return flags[:MAX_FLAGS]
