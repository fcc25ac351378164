"""Threat, unlawful-content and defamation screens: admin-managed phrase lists."""
from __future__ import annotations

from .activity import AuthorActivity
from .flags import Flag, Severity
from .normalize import Normalized
from .profanity import MAX_FLAGS
from .wordlists import WordLists

SEVERITY = {
    "threat": Severity.BLOCK,
    "unlawful": Severity.BLOCK,
    "defamation": Severity.WARN,
}
_LABEL = {
    "threat": "threatening phrase",
    "unlawful": "phrase about unlawful activity",
    "defamation": "possibly defamatory phrase",
}


def check(text: str, norm: Normalized, activity: AuthorActivity, lists: WordLists) -> list[Flag]:
    """A flag per listed phrase found, matched word by word after normalisation."""
    flags: list[Flag] = []
    for hit in lists.matcher.scan(norm):
        if hit.category not in SEVERITY:
            continue
        flags.append(Flag(hit.category, SEVERITY[hit.category],
                          f'{_LABEL[hit.category]} "{hit.entry}"',
                          (hit.start, hit.end)))
        if len(flags) >= MAX_FLAGS:
            break
    return flags
