"""Spam screen: many links, a body the author already posted, shouting, posting bursts."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import islice

from .activity import AuthorActivity
from .flags import Flag, Severity
from .links import count_links
from .normalize import Normalized, fold_text, split_words

LINKS_WARN = 3  # more than this many links: WARN
LINKS_BLOCK = 8  # more than this many: BLOCK (certain spam)
BURST_WINDOW = timedelta(minutes=10)
BURST_WARN = 5  # comments in the window, this one included
BURST_BLOCK = 10
REPEAT_MIN_CHARS = 20  # shorter repeats ("Thanks!") are only a WARN
REPEAT_SIMILARITY = 0.9  # share of the same words that counts as the same body
REPEAT_MIN_WORDS = 8  # below this, only an exact repeat counts
REPEAT_BODIES = 20  # recent bodies compared, newest first (and read per submission)
SHOUT_MIN_LETTERS = 20
SHOUT_SAMPLE = 5000  # characters examined for capitals

_UPPER = "".join(map(chr, [*range(0x41, 0x5B), *range(0xC0, 0xD7), *range(0xD8, 0xDF),
                            *range(0x391, 0x3AA), *range(0x410, 0x430)]))
_LOWER = "".join(map(chr, [*range(0x61, 0x7B), *range(0xDF, 0xF7), *range(0xF8, 0x100),
                            *range(0x3B1, 0x3CA), *range(0x430, 0x450)]))
# Counting by deletion: str.translate runs in C, a regex findall built a list per letter.
_DROP_UPPER = str.maketrans("", "", _UPPER)
_DROP_LOWER = str.maketrans("", "", _LOWER)


def check(text: str, norm: Normalized, activity: AuthorActivity, lists: object) -> list[Flag]:
    """Flags for link count, repeats, shouting and bursts."""
    flags: list[Flag] = []
    links = count_links(norm.text)
    if links > LINKS_BLOCK:
        flags.append(Flag("spam", Severity.BLOCK, f"{links} links", None))
    elif links > LINKS_WARN:
        flags.append(Flag("spam", Severity.WARN, f"{links} links", None))
    flags.extend(_repeat(norm, activity))
    flags.extend(_shouting(text))
    flags.extend(_burst(activity))
    return flags


def _words(text: str) -> list[str]:
    return [w for w in split_words(fold_text(text)) if w]


def _overlap(mine: Counter[str], other: list[str], size: int) -> float:
    """Shared words (with repeats) over the longer body's length: 1.0 for the same words."""
    shared = sum((mine & Counter(other)).values())
    return shared / max(size, len(other), 1)


def _repeat(norm: Normalized, activity: AuthorActivity) -> list[Flag]:
    if not activity.recent_bodies:
        return []
    words = [w for w in norm.words if w]
    if not words:
        return []
    key = " ".join(words)
    mine: Counter[str] | None = None
    for body in islice(activity.recent_bodies, REPEAT_BODIES):
        # Cheap length test first: near-identical bodies have near-identical lengths.
        if not 0.7 * len(norm.raw) - 8 <= len(body) <= 1.43 * len(norm.raw) + 8:
            continue
        other = _words(body)
        if " ".join(other) == key:
            if len(key) < REPEAT_MIN_CHARS:
                return [Flag("spam", Severity.WARN, "short comment repeated by the same author",
                             None)]
            return [Flag("spam", Severity.BLOCK, "the author posted the same text before", None)]
        if len(key) < REPEAT_MIN_CHARS or len(words) < REPEAT_MIN_WORDS:
            continue
        if mine is None:
            mine = Counter(words)
        if _overlap(mine, other, len(words)) >= REPEAT_SIMILARITY:
            return [Flag("spam", Severity.BLOCK,
                         "the author posted nearly the same text before", None)]
    return []


def _shouting(text: str) -> list[Flag]:
    sample = text[:SHOUT_SAMPLE]
    upper = len(sample) - len(sample.translate(_DROP_UPPER))
    if upper < SHOUT_MIN_LETTERS * 0.7:
        return []
    lower = len(sample) - len(sample.translate(_DROP_LOWER))
    letters = upper + lower
    if letters < SHOUT_MIN_LETTERS:
        return []
    ratio = upper / letters
    if ratio >= 0.9 and letters >= 100:
        return [Flag("spam", Severity.WARN, "written in capital letters (shouting)", None)]
    if ratio >= 0.7:
        return [Flag("spam", Severity.INFO, "mostly capital letters (shouting)", None)]
    return []


def _burst(activity: AuthorActivity) -> list[Flag]:
    now = activity.now
    recent = sum(1 for t in activity.recent_times if t > now - BURST_WINDOW)
    count = recent + 1  # this comment
    if count >= BURST_BLOCK:
        return [Flag("spam", Severity.BLOCK, f"{count} comments in 10 minutes", None)]
    if count >= BURST_WARN:
        return [Flag("spam", Severity.WARN, f"{count} comments in 10 minutes", None)]
    return []
