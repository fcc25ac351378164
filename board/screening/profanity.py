"""Profanity screen: better-profanity's list (plus admin extras, minus the allowlist)."""
from __future__ import annotations

from .activity import AuthorActivity
from .flags import Flag, Severity
from .normalize import Normalized
from .wordlists import WordLists

#: Flags kept per comment for one screen: enough to show a moderator where to look.
MAX_FLAGS = 20


def check(text: str, norm: Normalized, activity: AuthorActivity, lists: WordLists) -> list[Flag]:
    """A WARN flag for each profane word or phrase, at its place in the raw text."""
    flags: list[Flag] = []
    for hit in lists.matcher.scan(norm):
        if hit.category != "profanity":
            continue
        detail = f'profanity "{hit.entry}"'
        if hit.how:
            detail += f" ({hit.how})"
        flags.append(Flag("profanity", Severity.WARN, detail,
                          (hit.start, hit.end)))
        if len(flags) >= MAX_FLAGS:
            break
    return flags
