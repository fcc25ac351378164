"""Member standing: suspension and reinstatement by staff, and the counts staff see.

Who may act on whom (pages, API and CLI alike, checked on every request):

- staff power needs the role *and* an account that is not suspended now: a suspended
  moderator or admin has none until reinstated (or until a dated suspension lapses);
- moderators suspend and reinstate members; only an admin suspends or reinstates a staff
  account (a moderator cannot reinstate a suspended moderator either);
- nobody suspends or reinstates their own account;
- the last active (not suspended) admin can be neither suspended nor demoted: guarded in
  the database, so two admins acting on each other at once cannot both succeed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa

from . import audit
from .errors import AccountSuspended, Conflict, Forbidden, NotFound, ValidationError
from .extensions import db
from .models import AuditEntry, Comment, User
from .timeutil import isoformat
from .vocabulary import AccountStatus, Role, State

MAX_REASON = 500
STAFF_SUSPENDED = ("Your account is suspended, so staff tools are closed to you until an "
                   "administrator reinstates it.")
LAST_ADMIN = ("There must always be at least one administrator who is not suspended; "
              "promote or reinstate someone else first.")


def require_staff(actor: User, now: datetime, *, admin: bool = False,
                  message: str | None = None) -> None:
    """Raise unless ``actor`` may act as staff (as an admin with ``admin``) at ``now``.

    ``Forbidden`` (with ``message``) without the role; ``AccountSuspended`` with the role
    but a suspension, so that a suspended moderator knows why the tools are closed.
    """
    has_role = actor.has_admin_role if admin else actor.has_staff_role
    if not has_role:
        raise Forbidden(message or ("Only administrators can do that." if admin
                                    else "Only moderators can do that."))
    if actor.is_suspended(now):
        raise AccountSuspended(STAFF_SUSPENDED)


def can_manage(actor: User, member: User, now: datetime) -> bool:
    """Whether ``actor`` may suspend or reinstate ``member`` (the rules above)."""
    if member.id == actor.id or not actor.has_staff_role or actor.is_suspended(now):
        return False
    return not member.has_staff_role or actor.has_admin_role


def active_admin(now: datetime) -> sa.ColumnElement[bool]:
    """SQL condition: an admin account that is not suspended at ``now``."""
    return sa.and_(User.role == Role.ADMIN, sa.or_(
        User.status != AccountStatus.SUSPENDED,
        sa.and_(User.suspended_until.is_not(None), User.suspended_until <= now),
    ))


def other_active_admins(user_id: int, now: datetime) -> sa.ScalarSelect[int]:
    """SQL: how many active admins there are besides account ``user_id``."""
    return (sa.select(sa.func.count()).select_from(User)
            .where(active_admin(now), User.id != user_id).scalar_subquery())


def lock_admins(actor: User, now: datetime) -> None:
    """Lock the admin accounts until commit, then check ``actor`` is still an active admin.

    On PostgreSQL two admins acting on each other at once are serialised here (SQLite
    serialises writers already); the guarded UPDATE that follows sees the other's commit.
    """
    db.session.execute(sa.select(User.id).where(User.role == Role.ADMIN).order_by(User.id)
                       .with_for_update())
    db.session.refresh(actor)
    try:
        require_staff(actor, now, admin=True)
    except Forbidden:
        db.session.rollback()
        raise


def _target(member_id: int, actor: User, verb: str, now: datetime) -> User:
    require_staff(actor, now, message=f"Only moderators can {verb} members.")
    member = db.session.get(User, member_id)
    if member is None:
        raise NotFound("There is no such member.")
    if member.id == actor.id:
        raise Forbidden(f"You cannot {verb} your own account.", code="own_account")
    # Moderators manage members; only an admin may act on a staff account, suspended or not.
    if member.has_staff_role and not actor.has_admin_role:
        raise Forbidden(f"Only an administrator can {verb} a staff account.")
    return member


def suspend(member_id: int, actor: User, reason: str, until: datetime | None,
            now: datetime) -> User:
    """Suspend a member until ``until`` (naive UTC) or indefinitely, with a reason; commits.

    The reason is shown to the member when they try to comment. Suspending staff takes
    their staff power away at once; the last active admin cannot be suspended.
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
    member = _target(member_id, actor, "suspend", now)
    statement = sa.update(User).where(User.id == member.id).values(
        status=AccountStatus.SUSPENDED, suspended_until=until, suspension_reason=reason)
    if member.has_admin_role:
        lock_admins(actor, now)
        statement = statement.where(other_active_admins(member.id, now) >= 1)
    result = cast(sa.CursorResult[Any], db.session.execute(
        statement.execution_options(synchronize_session=False)))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(LAST_ADMIN, code="last_admin")
    db.session.expire(member, ["status", "suspended_until", "suspension_reason"])
    # The reason is free text and may name people: it stays on the account, not in the log.
    audit.record(actor, "member.suspend", f"user:{member.id}",
                 {"until": isoformat(until), "role": member.role.value}, now=now)
    db.session.commit()
    return member


def reinstate(member_id: int, actor: User, now: datetime, reason: str | None = None) -> User:
    """Lift a member's suspension; commits. The optional reason is not stored in the log."""
    member = _target(member_id, actor, "reinstate", now)
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
