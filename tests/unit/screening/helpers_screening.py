"""Shared helpers for the screening tests (plain functions, no fixtures)."""
from __future__ import annotations

from datetime import datetime

from board.screening.activity import AuthorActivity
from board.screening.flags import Flag
from board.screening.pipeline import screen
from board.screening.wordlists import WordLists

NOW = datetime(2026, 11, 23, 12, 0, 0)
QUIET = AuthorActivity.none(NOW)
LISTS = WordLists.defaults()


def flags_of(text: str, code: str, activity: AuthorActivity = QUIET,
             lists: WordLists = LISTS) -> list[Flag]:
    """The flags of one code that ``screen`` raises on ``text``."""
    return [f for f in screen(text, activity, lists) if f.code == code]


def flagged(text: str, code: str, **kwargs: object) -> list[str]:
    """The raw text under each flag of ``code``."""
    return [text[f.span[0]:f.span[1]] if f.span else "" for f in flags_of(text, code, **kwargs)]
