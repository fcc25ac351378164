"""Member standing: suspension and reinstatement by staff, and the counts staff see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from . import audit
from .errors import Forbidden, NotFound, ValidationError
from .extensions import db
from .models import AuditEntry, Comment, User
from .timeutil import isoformat
from .vocabulary import AccountStatus, State

MAX_REASON = 500


def _target(member_id: int, actor: User, verb: str) -> User:
    if not actor.is_staff:
        raise Forbidden(f"Only moderators can {verb} members.")
    member = db.session.get(User, member_id)
    if member is None:
        raise NotFound("There is no such member.")
    if member.id == actor.id:
        raise Forbidden(f"You cannot {verb} your own account.", code="own_account")
    # Moderators manage members; only an admin may act on another staff account.
    if member.is_staff and not actor.is_admin:
        raise Forbidden(f"Only an administrator can {verb} a staff account.")
    return member


def suspend(member_id: int, actor: User, reason: str, until: datetime | None,
            now: datetime) -> User:
    """Suspend a member until ``until`` (naive UTC) or indefinitely, with a reason; commits.

    The reason is shown to the member when they try to comment.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("Give the reason for the suspension; the member will see it.",
                              code="reason_required")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"The reason is too long ({MAX_REASON} characters at most).",
                              code="reason_too_long")
    if until is not None and until <= now:
        raise ValidationError("A suspension must end in the future (or leave the date empty).",
                              code="invalid_until")
    member = _target(member_id, actor, "suspend")
    member.status = AccountStatus.SUSPENDED
    member.suspended_until = until
    member.suspension_reason = reason
    # The reason is free text and may name people: it stays on the account, not in the log.
    audit.record(actor, "member.suspend", f"user:{member.id}",
                 {"until": isoformat(until)}, now=now)
    db.session.commit()
    return member


def reinstate(member_id: int, actor: User, now: datetime, reason: str | None = None) -> User:
    """Lift a member's suspension; commits. The optional reason is not stored in the log."""
    member = _target(member_id, actor, "reinstate")
    was_suspended = member.is_suspended(now)
    member.status = AccountStatus.ACTIVE
    member.suspended_until = None
    member.suspension_reason = None
    audit.record(actor, "member.reinstate", f"user:{member.id}",
                 {"was_suspended": was_suspended, "reason_given": bool((reason or "").strip())},
                 now=now)
    db.session.commit()
    return member


@dataclass
class Standing:
    """What a moderator needs to know about an author at a glance."""

    member_id: int
    counts: dict[str, int]
    suspensions: int
    suspended: bool
    suspended_until: datetime | None
    suspension_reason: str | None


def suspension_counts(ids: list[int]) -> dict[int, int]:
    """How many times each member was suspended, from the audit log, in one query."""
    targets = {f"user:{i}": i for i in ids}
    suspensions = dict.fromkeys(ids, 0)
    for target, count in db.session.execute(
        sa.select(AuditEntry.target, sa.func.count())
        .where(AuditEntry.action == "member.suspend", AuditEntry.target.in_(list(targets)))
        .group_by(AuditEntry.target)
    ):
        suspensions[targets[target]] = count
    return suspensions


def standings(members: list[User], now: datetime) -> dict[int, Standing]:
    """Comment counts per state and suspension record of each member, in two queries."""
    ids = sorted({m.id for m in members})
    if not ids:
        return {}
    counts: dict[int, dict[str, int]] = {i: {s.value: 0 for s in State} for i in ids}
    for author_id, state, count in db.session.execute(
        sa.select(Comment.author_id, Comment.state, sa.func.count())
        .where(Comment.author_id.in_(ids)).group_by(Comment.author_id, Comment.state)
    ):
        counts[author_id][State(state).value] = count
    suspensions = suspension_counts(ids)
    return {
        m.id: Standing(m.id, counts[m.id], suspensions[m.id], m.is_suspended(now),
                       m.suspended_until, m.suspension_reason)
        for m in members
    }
