"""Time helpers: Board stores naive UTC datetimes everywhere."""
from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as a naive UTC datetime, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat(moment: datetime | None) -> str | None:
    """An RFC 3339 string with a ``Z`` suffix for a naive UTC datetime."""
    if moment is None:
        return None
    return moment.isoformat(timespec="seconds") + "Z"
