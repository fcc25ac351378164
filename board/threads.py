"""Thread rules shared by the CLI, the admin pages and the API."""
from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import sqlalchemy as sa

from .errors import Conflict, ValidationError
from .extensions import db
from .models import Site, Thread

KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$")


def check_key(key: str) -> str:
    """Thread keys are 1-200 URL-safe characters."""
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise ValidationError(
            "A thread key is 1 to 200 letters, digits, dots, dashes, underscores or tildes.",
            code="invalid_key",
        )
    return key


def check_url(url: str) -> str:
    """An absolute http(s) URL, or a path on the site."""
    if not isinstance(url, str) or len(url) > 2000:
        raise ValidationError("Give the post's address.", code="invalid_url")
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https") and parts.netloc or (not parts.scheme and url.startswith("/")
                                                               and not url.startswith("//")):
        return url.strip()
    raise ValidationError("The post's address must start with http://, https:// or /.",
                          code="invalid_url")


def check_title(title: str) -> str:
    """A title of 1 to 300 characters."""
    if not isinstance(title, str) or not title.strip() or len(title) > 300:
        raise ValidationError("A thread needs a title of at most 300 characters.",
                              code="invalid_title")
    return " ".join(title.split())


def create_thread(key: str, title: str, url: str, *, site: Site | None, now: datetime) -> Thread:
    """Create and commit a thread; ``Conflict(thread_exists)`` if the key is taken."""
    key, title, url = check_key(key), check_title(title), check_url(url)
    if db.session.scalar(sa.select(Thread.id).where(Thread.key == key)) is not None:
        raise Conflict(f"A thread with the key {key!r} already exists.", code="thread_exists")
    thread = Thread(key=key, title=title, url=url, site=site, is_open=True, created_at=now)
    db.session.add(thread)
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        raise Conflict(f"A thread with the key {key!r} already exists.",
                       code="thread_exists") from None
    return thread
