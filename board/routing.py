"""Ids in URLs, query strings and request bodies, bounded to what the id columns hold.

Every id column is a 32-bit integer on PostgreSQL (and SQLite fails on anything beyond
64 bits): a larger number can name no record, so it is refused as "not found" before it
reaches a query, where it would raise a database error instead.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's integer; every primary key is one


def digits_up_to(limit: int) -> str:
    """A regular expression of the decimal numbers from 0 to ``limit`` (no sign)."""
    text = str(limit)
    options = [rf"\d{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):
        low = 1 if i == 0 and len(text) > 1 else 0
        if int(digit) > low:
            rest = len(text) - i - 1
            tail = rf"\d{{{rest}}}" if rest else ""
            options.append(f"{text[:i]}[{low}-{int(digit) - 1}]{tail}")
    options.append(text)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to 0..``MAX_ID``: a larger number matches no route at all (404).

    The bound is in the pattern, not only in ``to_python``: a value refused after matching
    would make werkzeug answer 405 where another method of the same path exists.
    """

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = None, signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, MAX_ID if max is None else max, signed)


def fits_id(value: Any) -> bool:
    """Whether ``value`` is a whole number that an id column can hold (1..``MAX_ID``)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def parse_id(raw: str | None) -> int | None:
    """An id given as text (a query string, a form field), or None if it cannot be one."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if fits_id(value) else None


def init_app(app: Flask) -> None:
    """Make every ``<int:...>`` of the app's routes a bounded id (before blueprints register)."""
    app.url_map.converters["int"] = IdConverter
