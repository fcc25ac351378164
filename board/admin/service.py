"""Admin changes: sites and origins, threads, word lists, policy and staff accounts.

Each function checks that the actor is an admin, commits, and records the change in the
audit log with identifiers and codes only.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import accounts, audit, members, settings, threads
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..embed.origins import normalise_origin as embed_origin
from ..extensions import db
from ..models import AuditEntry, Site, SiteOrigin, Thread, User
from ..pagination import decode_cursor, encode_cursor
from ..screening.policy import PolicySettings
from ..screening.wordlists import WordLists
from ..vocabulary import Role


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden("Only administrators can change this.")


def normalise_origin(origin: str) -> str:
    """``scheme://host[:port]`` in lower case (the embed's rule, as used in CSP), or
    ``ValidationError`` naming the value."""
    value = embed_origin(origin)
    if value is None:
        shown = (origin or "").strip()
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise ValidationError(f"{shown!r} is not an origin like https://www.example.org "
                              "(scheme, host and optional port only, no path).",
                              code="invalid_origin")
    return value


def _site(site_id: int) -> Site:
    site = db.session.get(Site, site_id)
    if site is None:
        raise NotFound("There is no such site.")
    return site


def sites() -> list[Site]:
    """Every site with its origins, by name."""
    return list(db.session.scalars(
        sa.select(Site).order_by(Site.name).options(selectinload(Site.origins))))


def create_site(name: str, origins: list[str], auto_create_threads: bool, actor: User,
                now: datetime) -> Site:
    """A new site and the origins allowed to embed its threads, by an admin."""
    _require_admin(actor)
    return register_site(name, origins, auto_create_threads, actor, now)


def register_site(name: str, origins: list[str], auto_create_threads: bool,
                  actor: User | None, now: datetime) -> Site:
    """Create a site with its audit row, in one transaction. ``actor`` None is the operator
    at the command line; pages and the API go through :func:`create_site`."""
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ValidationError("A site needs a name of at most 120 characters.",
                              code="invalid_name")
    cleaned = sorted({normalise_origin(o) for o in origins if o.strip()})
    if db.session.scalar(sa.select(Site.id).where(Site.name == name)) is not None:
        raise Conflict(f"A site named {name!r} already exists.", code="site_exists")
    site = Site(name=name, auto_create_threads=auto_create_threads, created_at=now,
                origins=[SiteOrigin(origin=o) for o in cleaned])
    db.session.add(site)
    db.session.flush()
    audit.record(actor, "site.create", f"site:{site.id}",
                 {"origins": len(cleaned), "auto_create_threads": auto_create_threads}, now=now)
    db.session.commit()
    return site


def add_origin(site_id: int, origin: str, actor: User, now: datetime) -> SiteOrigin:
    """Allow one more origin to embed the site's threads."""
    _require_admin(actor)
    site = _site(site_id)
    value = normalise_origin(origin)
    if any(o.origin == value for o in site.origins):
        raise Conflict(f"{value} is already allowed for this site.", code="origin_exists")
    row = SiteOrigin(site_id=site.id, origin=value)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "site.origin_add", f"site:{site.id}", {"origin_id": row.id}, now=now)
    db.session.commit()
    return row


def remove_origin(site_id: int, origin_id: int, actor: User, now: datetime) -> None:
    """Stop an origin from embedding the site's threads."""
    _require_admin(actor)
    row = db.session.get(SiteOrigin, origin_id)
    if row is None or row.site_id != site_id:
        raise NotFound("That origin is not allowed for this site.")
    db.session.delete(row)
    audit.record(actor, "site.origin_remove", f"site:{site_id}", {"origin_id": origin_id},
                 now=now)
    db.session.commit()


def set_auto_create(site_id: int, enabled: bool, actor: User, now: datetime) -> Site:
    """Whether an allowed origin embedding an unknown key creates the thread."""
    _require_admin(actor)
    site = _site(site_id)
    site.auto_create_threads = enabled
    audit.record(actor, "site.update", f"site:{site.id}", {"auto_create_threads": enabled},
                 now=now)
    db.session.commit()
    return site


def thread_list(limit: int = 200) -> list[Thread]:
    """The newest threads, with their site."""
    return list(db.session.scalars(
        sa.select(Thread).order_by(Thread.created_at.desc(), Thread.id.desc()).limit(limit)
        .options(selectinload(Thread.site))))


def create_thread(key: str, title: str, url: str, site_id: int | None, actor: User,
                  now: datetime) -> Thread:
    """A new open thread (the shared rules of ``board.threads``)."""
    _require_admin(actor)
    site = _site(site_id) if site_id else None
    return threads.create_thread(key, title, url, site=site, now=now, audit_as="thread.create",
                                 actor=actor)


def _thread(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        raise NotFound("There is no such thread.")
    return thread


def set_thread_open(thread_id: int, is_open: bool, actor: User, now: datetime) -> Thread:
    """Open or close a thread to new comments (the rule of ``board.threads.update_thread``)."""
    _require_admin(actor)
    return threads.update_thread(_thread(thread_id), threads.ThreadChanges(is_open=is_open),
                                 actor, now)


def confirm_thread(thread_id: int, actor: User, now: datetime) -> Thread:
    """Put a thread created by an anonymous embed on the public index, its title and address
    as they are now (they are no longer replaced by what a loading page reports)."""
    _require_admin(actor)
    thread = _thread(thread_id)
    if not thread.is_listed:
        thread.is_listed = True
        audit.record(actor, "thread.confirm", f"thread:{thread.id}", now=now)
        db.session.commit()
    return thread


def save_word_lists(lists: Mapping[str, list[str]], actor: User, now: datetime) -> WordLists:
    """Store the screening word lists (every list replaced by the given one)."""
    _require_admin(actor)
    try:
        checked = WordLists.from_overrides(lists)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_word_lists") from None
    before = settings.word_lists()
    stored = checked.to_mapping()
    settings.put_setting(settings.WORDLISTS_KEY, stored, actor.id)
    changed = sorted(k for k, v in stored.items() if v != before.to_mapping().get(k))
    audit.record(actor, "settings.word_lists", f"setting:{settings.WORDLISTS_KEY}",
                 {"changed": changed}, now=now)
    db.session.commit()
    return checked


def save_policy(values: Mapping[str, Any], actor: User, now: datetime) -> PolicySettings:
    """Store the moderation policy."""
    _require_admin(actor)
    try:
        policy = PolicySettings.from_mapping(values)
    except ValueError as error:
        raise ValidationError(str(error).capitalize() + ".", code="invalid_policy") from None
    settings.put_setting(settings.POLICY_KEY, policy.to_mapping(), actor.id)
    audit.record(actor, "settings.policy", f"setting:{settings.POLICY_KEY}",
                 policy.to_mapping(), now=now)
    db.session.commit()
    return policy


STAFF_ROLES = (Role.MODERATOR, Role.ADMIN)


def staff() -> list[User]:
    """Staff accounts by role, admins first, suspended ones included (what they are)."""
    return list(db.session.scalars(
        sa.select(User).where(User.role.in_(STAFF_ROLES))
        .order_by(User.role, User.display_name, User.id)))


def create_staff(email: str, display_name: str, password: str, role: str, actor: User,
                 now: datetime) -> User:
    """A new moderator or admin account (by an admin who is not suspended)."""
    members.require_staff(actor, now, admin=True, message="Only administrators can change this.")
    if role not in {r.value for r in STAFF_ROLES}:
        raise ValidationError("A staff account is a moderator or an admin.", code="invalid_role")
    user = accounts.create_user(email, display_name, password, role, now=now)
    audit.record(actor, "staff.create", f"user:{user.id}", {"role": role}, now=now)
    db.session.commit()
    return user


def set_role(user_id: int, role: str, actor: User, now: datetime) -> User:
    """Change an account's role (by an admin who is not suspended).

    The last active admin can never be demoted; an admin may step down (change their own
    role) while another active admin remains.
    """
    members.require_staff(actor, now, admin=True, message="Only administrators can change this.")
    try:
        new = Role(role)
    except ValueError:
        raise ValidationError("Choose member, moderator or admin.", code="invalid_role") from None
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
    old = Role(user.role)
    if old == new:
        return user
    statement = sa.update(User).where(User.id == user.id, User.role == old).values(role=new)
    if old == Role.ADMIN:
        # Guarded in the database, so two admins demoting each other cannot both succeed.
        members.lock_admins(actor, now)
        statement = statement.where(members.other_active_admins(user.id, now) >= 1)
    result = cast(sa.CursorResult[Any], db.session.execute(
        statement.execution_options(synchronize_session=False)))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(members.LAST_ADMIN, code="last_admin")
    db.session.expire(user, ["role"])
    audit.record(actor, "staff.role", f"user:{user.id}", {"from": old.value, "to": new.value},
                 now=now)
    db.session.commit()
    return user


def find_account(email: str) -> User:
    """The account with this e-mail address, or ``NotFound``."""
    user = accounts.find_by_email(email or "")
    if user is None:
        raise NotFound("There is no account with that e-mail address.")
    return user


@dataclass
class AuditPage:
    """A page of the audit log, newest first."""

    entries: list[AuditEntry]
    next_cursor: str | None


def audit_log(prefix: str | None, actor_id: int | None, *, cursor: str | None,
              limit: int = 50) -> AuditPage:
    """Audit entries, newest first, optionally by action prefix ("site.") and actor."""
    query = (sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
             .options(selectinload(AuditEntry.actor)).limit(limit + 1))
    if prefix:
        query = query.where(AuditEntry.action.startswith(prefix, autoescape=True))
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if cursor:
        created, last_id = decode_cursor(cursor, (datetime, int))
        query = query.where(sa.or_(
            AuditEntry.created_at < created,
            sa.and_(AuditEntry.created_at == created, AuditEntry.id < last_id)))
    entries = list(db.session.scalars(query))
    next_cursor = None
    if len(entries) > limit:
        entries = entries[:limit]
        next_cursor = encode_cursor(entries[-1].created_at, entries[-1].id)
    return AuditPage(entries, next_cursor)
