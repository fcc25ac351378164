"""Moderation policy: the flags of a new comment become its initial state and queue risk."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from .flags import Flag, Severity

_SEVERITY_RISK = {Severity.INFO: 10, Severity.WARN: 40, Severity.BLOCK: 70}
# What a flag of this code adds: harm to others outweighs bad manners.
_CODE_RISK = {
    "threat": 25, "unlawful": 20, "personal_information": 15, "defamation": 15,
    "obscene": 10, "spam": 0, "profanity": 0, "screen_error": 5,
}
_PER_EXTRA_FLAG = 5
MAX_REPORTER_AGE_DAYS = 3650


@dataclass(frozen=True)
class PolicySettings:
    """The admin's moderation policy (SPEC 2): pre-moderate everything by default."""

    premoderate_all: bool = True
    auto_approve_after: int = 0
    auto_reject_certain_spam: bool = False
    report_threshold: int = 3
    # Reports count toward automatic hiding only from accounts at least this old, with an
    # approved comment and not suspended (SPEC 2): new accounts cannot hide what they like.
    reporter_min_age_days: int = 7

    @property
    def may_auto_approve(self) -> bool:
        """Whether any comment can be approved without a moderator."""
        return not self.premoderate_all and self.auto_approve_after > 0

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> PolicySettings:
        """Settings from stored JSON: missing keys take defaults, unknown keys are ignored,
        a value of the wrong type or out of range raises ``ValueError``."""
        if not isinstance(m, Mapping):
            raise ValueError("policy settings must be a mapping")
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in m:
                continue
            value = m[f.name]
            if isinstance(f.default, bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{f.name} must be true or false")
            elif isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{f.name} must be a whole number")
            values[f.name] = value
        settings = cls(**values)
        if settings.auto_approve_after < 0:
            raise ValueError("auto_approve_after must be 0 or more")
        if settings.report_threshold < 1:
            raise ValueError("report_threshold must be 1 or more")
        if not 0 <= settings.reporter_min_age_days <= MAX_REPORTER_AGE_DAYS:
            raise ValueError(f"reporter_min_age_days must be 0 to {MAX_REPORTER_AGE_DAYS}")
        return settings

    def to_mapping(self) -> dict[str, Any]:
        """A JSON-serialisable form for the settings table."""
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """The initial state of a comment, its queue risk, and the reason of an automatic rejection."""

    state: str
    risk: int
    reason: str | None = None


def risk_of(flags: Sequence[Flag]) -> int:
    """0..100: the most serious flag, plus a little for every other flag."""
    if not flags:
        return 0
    scores = sorted(
        (_SEVERITY_RISK.get(f.severity, 40) + _CODE_RISK.get(f.code, 10) for f in flags),
        reverse=True,
    )
    return min(100, scores[0] + _PER_EXTRA_FLAG * (len(scores) - 1))


def decide(flags: Sequence[Flag], approved_count: int, settings: PolicySettings) -> Verdict:
    """The policy's verdict on a new comment with these flags by an author with
    ``approved_count`` approved comments."""
    risk = risk_of(flags)
    if settings.auto_reject_certain_spam and any(
        f.code == "spam" and f.severity is Severity.BLOCK for f in flags
    ):
        return Verdict("rejected", risk, "spam")
    if settings.may_auto_approve and approved_count >= settings.auto_approve_after and not flags:
        return Verdict("approved", risk, None)
    return Verdict("pending", risk, None)
