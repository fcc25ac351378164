"""What the caller knows about the author's recent posting, gathered from the database."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class AuthorActivity:
    """The author's recent comments, for the spam screen (repeats and bursts).

    ``recent_bodies``: the author's raw bodies from the last 24 hours, newest first;
    ``recent_times``: naive-UTC creation times of the author's comments in the last
    10 minutes (not counting the comment being screened); ``now``: naive UTC.
    """

    recent_bodies: Sequence[str] = field(default_factory=tuple)
    recent_times: Sequence[datetime] = field(default_factory=tuple)
    now: datetime = field(default_factory=lambda: datetime(1970, 1, 1))

    @classmethod
    def none(cls, now: datetime) -> AuthorActivity:
        """No recent activity (a first comment, the benchmark, a re-screen)."""
        return cls((), (), now)
