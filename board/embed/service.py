"""Finding the thread an embed shows, creating it on first embed when the site allows it."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from .. import audit, threads as thread_rules
from ..ratelimit import consume
from ..comments.service import get_thread
from ..errors import BoardError, Conflict, NotFound
from ..extensions import db
from ..models import Thread
from .origins import normalise_origin, origin_of_url, sites_for_origin

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HostPage:
    """What the loader reports about the page that embeds the thread (all unverified)."""

    origin: str | None = None
    url: str | None = None
    title: str | None = None


def find_thread(key: str) -> Thread | None:
    """The thread with ``key``, if any."""
    return db.session.scalar(sa.select(Thread).where(Thread.key == key))


def thread_for_embed(key: str, host: HostPage, *, now: datetime) -> Thread:
    """The thread with ``key``; created first when the rules of auto-creation allow it.

    An unknown key creates a thread only when a site with ``auto_create_threads`` allows
    the reported origin, the reported page address is on that same origin, and the key
    is valid. The thread takes the page's title (or the key) and address. Otherwise
    ``NotFound``.
    """
    thread = find_thread(key)
    if thread is not None:
        return thread
    origin = normalise_origin(host.origin)
    if origin is None or origin_of_url(host.url) != origin:
        raise NotFound("There is no comment thread here.", code="thread_not_found")
    site = next((s for s in sites_for_origin(origin) if s.auto_create_threads), None)
    if site is None:
        raise NotFound("There is no comment thread here.", code="thread_not_found")
    url = (host.url or "").split("#", 1)[0]
    title = " ".join((host.title or "").split())[:300] or key
    # Creation happens on an unauthenticated GET: limit how many threads one client creates.
    consume("RATELIMIT_AUTO_THREADS", "embed.auto_create")
    try:
        thread = thread_rules.create_thread(key, title, url, site=site, now=now)
    except Conflict:  # created meanwhile by another request
        return get_thread(key)
    except BoardError:  # an invalid key or address: nothing to create
        raise NotFound("There is no comment thread here.", code="thread_not_found") from None
    audit.record(None, "thread.auto_create", f"thread:{thread.id}", {"site": site.id}, now=now)
    db.session.commit()
    log.info("thread %s created on first embed for site %s", thread.id, site.id)
    return thread
