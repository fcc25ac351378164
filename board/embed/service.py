"""Finding the thread an embed shows, creating it on first embed when the site allows it.

A thread created by an anonymous embed is provisional: its title and address are what the
loading page reported, so it stays off the public index (``Thread.is_listed`` false) until
a comment in it is approved or an admin confirms it. Until then a later load from one of
the site's own origins may replace its title and address (so the real post takes back a key
that someone claimed first); once listed they are final.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from werkzeug.exceptions import TooManyRequests

from .. import audit, settings, threads as thread_rules
from ..comments.service import get_thread
from ..errors import BoardError, Conflict, NotFound
from ..extensions import db
from ..models import Site, Thread
from ..ratelimit import consume
from ..screening.flags import Severity
from ..screening.pipeline import AuthorActivity, screen
from .origins import allowed_origins, normalise_origin, origin_of_url, sites_for_origin

log = logging.getLogger(__name__)

# Flags that make a reported title unusable (anything above "info", and these at any level).
_ALWAYS_UNUSABLE = frozenset({"personal_information", "screen_error"})


@dataclass(frozen=True)
class HostPage:
    """What the loader reports about the page that embeds the thread (all unverified)."""

    origin: str | None = None
    url: str | None = None
    title: str | None = None


def find_thread(key: str) -> Thread | None:
    """The thread with ``key``, if any."""
    return db.session.scalar(sa.select(Thread).where(Thread.key == key))


def usable_title(reported: str | None, key: str, now: datetime) -> str:
    """The reported page title, cleaned, when the comment screens find nothing in it; else
    the key (a title is shown on the thread page, so it is screened like a comment)."""
    title = "".join(c for c in (reported or "") if c.isprintable() or c.isspace())
    title = " ".join(title.split())[:300]
    if not title:
        return key
    flags = screen(title, AuthorActivity.none(now), settings.word_lists())
    if any(f.severity != Severity.INFO or f.code in _ALWAYS_UNUSABLE for f in flags):
        log.info("a reported thread title was not used: flagged %s",
                 ",".join(sorted({f.code for f in flags})))
        return key
    return title


def _page_on_origins(host: HostPage, origins: list[str]) -> tuple[str, str] | None:
    """The reported (origin, address without fragment) when both are on one of ``origins``."""
    origin = normalise_origin(host.origin)
    if origin is None or origin not in origins or origin_of_url(host.url) != origin:
        return None
    return origin, (host.url or "").strip().split("#", 1)[0]


def thread_for_embed(key: str, host: HostPage, *, now: datetime) -> Thread:
    """The thread with ``key``; created first when the rules of auto-creation allow it.

    An unknown key creates a thread only when a site with ``auto_create_threads`` allows
    the reported origin, the reported page address is on that same origin, and the key
    is valid; creation is limited per client and per site. The thread takes the page's
    title (or the key, if the title is empty or flagged) and address, and is unlisted.
    Otherwise ``NotFound``. An unlisted thread takes a later page's title and address.
    """
    thread = find_thread(key)
    if thread is not None:
        if not thread.is_listed and thread.site is not None:
            _take_page_details(thread, host, now)
        return thread
    origin = normalise_origin(host.origin)
    if origin is None or origin_of_url(host.url) != origin:
        raise NotFound("There is no comment thread here.", code="thread_not_found")
    site = next((s for s in sites_for_origin(origin) if s.auto_create_threads), None)
    if site is None:
        raise NotFound("There is no comment thread here.", code="thread_not_found")
    url = (host.url or "").strip().split("#", 1)[0]
    try:
        thread_rules.check_key(key)
        thread_rules.check_url(url, site)
    except BoardError:  # an invalid key or address: nothing to create, nothing counted
        raise NotFound("There is no comment thread here.", code="thread_not_found") from None
    # Creation happens on an unauthenticated GET: limit it per client and per site, so
    # that neither one address nor many addresses can fill a site with threads.
    consume("RATELIMIT_AUTO_THREADS", "embed.auto_create")
    consume("RATELIMIT_AUTO_THREADS_SITE", "embed.auto_create_site", key=f"site:{site.id}")
    title = usable_title(host.title, key, now)
    try:
        thread = thread_rules.create_thread(key, title, url, site=site, now=now, listed=False,
                                            audit_as="thread.auto_create")
    except Conflict:  # created meanwhile by another request
        return get_thread(key)
    except BoardError:
        raise NotFound("There is no comment thread here.", code="thread_not_found") from None
    log.info("thread %s created on first embed for site %s", thread.id, site.id)
    return thread


def _take_page_details(thread: Thread, host: HostPage, now: datetime) -> None:
    """Replace an unlisted thread's title and address with those of a page on its site."""
    page = _page_on_origins(host, allowed_origins(thread))
    if page is None:
        return
    _, url = page
    title = usable_title(host.title, thread.key, now)
    if (title, url) == (thread.title, thread.url):
        return
    site: Site | None = thread.site
    try:
        url = thread_rules.check_url(url, site)
        consume("RATELIMIT_AUTO_THREADS", "embed.auto_create")  # writes on a GET: limited
    except (BoardError, TooManyRequests):
        return  # the thread is shown as it is
    guarded = sa.update(Thread).where(Thread.id == thread.id, Thread.is_listed.is_(False)) \
        .values(title=title, url=url).execution_options(synchronize_session=False)
    if db.session.execute(guarded).rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()  # listed meanwhile: its details are final
        return
    from .. import cache

    cache.mark_thread_changed(db.session(), thread.id)
    audit.record(None, "thread.embed_update", f"thread:{thread.id}",
                 {"title": title != thread.title, "url": url != thread.url}, now=now)
    db.session.commit()
    db.session.refresh(thread)
    log.info("unlisted thread %s took the details of a page on its site", thread.id)
