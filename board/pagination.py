"""Opaque keyset cursors: a list of plain values, base64url-encoded JSON."""
from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from .errors import ValidationError
from .routing import MAX_ID


def encode_cursor(*values: Any) -> str:
    """An opaque cursor for the row after which the next page starts."""
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: tuple[type, ...]) -> list[Any]:
    """The values of a cursor, checked against ``kinds``; ``ValidationError`` if malformed."""
    try:
        if len(cursor) > 500:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode("utf-8"))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        out: list[Any] = []
        for value, kind in zip(values, kinds, strict=True):
            if kind is datetime:
                out.append(datetime.fromisoformat(value))
            elif kind is int and isinstance(value, int) and not isinstance(value, bool) \
                    and abs(value) <= MAX_ID:  # every int a cursor holds is an int column
                out.append(value)
            elif kind is str and isinstance(value, str):
                out.append(value)
            else:
                raise ValueError
        return out
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationError("That cursor is not valid; start again without one.",
                              code="invalid_cursor") from None
