"""The flag a screen raises: what it found, how serious, and where in the raw text."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

CODES = frozenset(
    {
        "profanity",
        "threat",
        "unlawful",
        "defamation",
        "obscene",
        "spam",
        "personal_information",
        "screen_error",
    }
)


class Severity(StrEnum):
    """How strongly a flag should weigh on the moderation decision."""

    INFO = "info"
    WARN = "warn"
    BLOCK = "block"


@dataclass(frozen=True)
class Flag:
    """One finding of one screen; ``span`` is ``[start, end)`` in the raw comment text.

    ``detail`` is short text for moderators and never contains the matched personal data.
    """

    code: str
    severity: Severity
    detail: str
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form, as stored with the comment."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "detail": self.detail,
            "span": None if self.span is None else [self.span[0], self.span[1]],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Flag:
        """Rebuild a flag stored by :meth:`to_dict`; raises ``ValueError`` on malformed data."""
        try:
            code = d["code"]
            severity = Severity(d["severity"])
            detail = d.get("detail", "")
            span = d.get("span")
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a stored flag: {exc}") from None
        if not isinstance(code, str) or not isinstance(detail, str):
            raise ValueError("flag code and detail must be strings")
        if span is not None:
            if (
                not isinstance(span, (list, tuple))
                or len(span) != 2
                or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)
                or not 0 <= span[0] <= span[1]
            ):
                raise ValueError("flag span must be [start, end] with 0 <= start <= end")
            span = (span[0], span[1])
        return cls(code, severity, detail, span)
