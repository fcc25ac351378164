"""Thread rules shared by the CLI, the admin pages, the API and the embed."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from . import audit
from .errors import Conflict, Forbidden, ValidationError
from .extensions import db
from .models import Site, Thread, User

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$")
MAX_URL = 2000


def check_key(key: str) -> str:
    """Thread keys are 1-200 URL-safe characters."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise ValidationError(
            "A thread key is 1 to 200 letters, digits, dots, dashes, underscores or tildes.",
            code="invalid_key",
        )
    return key


def _bad_url(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_url")


def check_url(url: str, site: Site | None = None) -> str:
    """The post's address: an absolute http(s) URL, on one of ``site``'s origins if it has one.

    Refused: relative and scheme-relative addresses, backslashes (browsers read ``/\\host``
    as another host), credentials, control characters and anything that is not http(s).
    """
    from .embed.origins import normalise_origin, origin_of_url

    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL:
        raise _bad_url("Give the post's address, such as https://www.example.org/post.")
    url = url.strip()
    if "\\" in url or any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c.isspace()
                          for c in url):
        raise _bad_url("The post's address may not contain backslashes, spaces or control "
                       "characters.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise _bad_url("The post's address could not be read.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _bad_url("The post's address must be a full address starting with http:// or "
                       "https://.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _bad_url("The post's address may not contain a user name or password.")
    origin = origin_of_url(url)
    if origin is None:
        raise _bad_url("The post's address must be a full address starting with http:// or "
                       "https://.")
    if site is not None:
        allowed = {o for row in site.origins if (o := normalise_origin(row.origin))}
        if origin not in allowed:
            raise _bad_url(f"The post's address must be on one of the site {site.name}'s "
                           f"origins ({', '.join(sorted(allowed)) or 'none yet'}).")
    return url


def check_title(title: str) -> str:
    """A title of 1 to 300 characters."""
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        raise ValidationError("A thread needs a title of at most 300 characters.",
                              code="invalid_title")
    return " ".join(title.split())


def create_thread(key: str, title: str, url: str, *, site: Site | None, now: datetime,
                  listed: bool = True, audit_as: str | None = None,
                  actor: User | None = None) -> Thread:
    """Create and commit a thread; ``Conflict(thread_exists)`` if the key is taken.

    ``listed=False`` keeps it off the public index (threads created by an anonymous embed).
    With ``audit_as`` (``"thread.create"``, ``"thread.auto_create"``) the audit row, by
    ``actor`` (None: the system or the command line), commits with the thread.
    """
    key, title, url = check_key(key), check_title(title), check_url(url, site)
    if db.session.scalar(sa.select(Thread.id).where(Thread.key == key)) is not None:
        raise Conflict(f"A thread with the key {key!r} already exists.", code="thread_exists")
    thread = Thread(key=key, title=title, url=url, site=site, is_open=True, is_listed=listed,
                    created_at=now)
    db.session.add(thread)
    try:
        if audit_as is not None:
            db.session.flush()
            audit.record(actor, audit_as, f"thread:{thread.id}",
                         {"site": site.id if site else None}, now=now)
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict(f"A thread with the key {key!r} already exists.",
                       code="thread_exists") from None
    return thread


# -- who may change what ---------------------------------------------------------------------

@dataclass(frozen=True)
class ThreadChanges:
    """A change of a thread; None leaves that part as it is."""

    is_open: bool | None = None
    title: str | None = None
    url: str | None = None


def update_thread(thread: Thread, changes: ThreadChanges, actor: User, now: datetime) -> Thread:
    """Apply ``changes`` to ``thread`` for ``actor``, audit and commit.

    One rule for the admin pages and the API: staff (moderators and admins, not suspended)
    may open and close a thread; only admins may change its title or address, which are
    what readers trust when they follow a link. A new address must be on the thread's
    site's origins.
    """
    if not actor.is_staff or actor.is_suspended(now):
        raise Forbidden("Only moderators and administrators can change threads.")
    if (changes.title is not None or changes.url is not None) and not actor.is_admin:
        raise Forbidden("Only administrators can change a thread's title or address.",
                        code="admin_required")
    done: dict[str, object] = {}
    if changes.title is not None:
        thread.title = check_title(changes.title)
        done["title"] = True
    if changes.url is not None:
        thread.url = check_url(changes.url, thread.site)
        done["url"] = True
    if changes.is_open is not None:
        thread.is_open = done["is_open"] = changes.is_open
    audit.record(actor, "thread.update", f"thread:{thread.id}", done, now=now)
    db.session.commit()
    return thread


def list_thread(session: sa.orm.Session, thread_id: int) -> None:
    """Put a thread on the public index (a comment in it was approved); idempotent.

    Part of the caller's transaction. From then on its title and address are final: the
    embed no longer replaces them with what a loading page reports.
    """
    session.execute(
        sa.update(Thread).where(Thread.id == thread_id, Thread.is_listed.is_(False))
        .values(is_listed=True).execution_options(synchronize_session=False))
