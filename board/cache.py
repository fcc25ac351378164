"""A read-through cache of what thread reads serve, invalidated after each commit.

Readers get the serialized approved comments of a thread (the JSON page with its ETag,
the anonymous thread page) from here instead of the database. Entries live in process
memory (a bounded LRU) by default and in Redis when ``BOARD_REDIS_URL`` is set, so that
every worker and every host sees the same entries and the same invalidations.

Invalidation is by version: each thread has a version token, and an entry is only served
while the token it was built under is still current. Code that changes a thread's approved
set records the thread on the SQLAlchemy session (``mark_thread_changed``; ORM changes to
comments, threads and display names are recorded by a ``before_flush`` hook); the tokens are
replaced in ``after_commit``, never before, so a reader running concurrently with the change
cannot put the old data back under the new token. A reader that misses starts a fresh
database snapshot *after* reading the token, for the same reason (SQLite keeps one snapshot
per transaction).
"""
from __future__ import annotations

import hashlib
import itertools
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Protocol, cast

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from .extensions import db
from .models import Comment, Thread, User
from .vocabulary import State

log = logging.getLogger(__name__)

_PENDING = "board_cache_threads"  # session.info key: thread ids changed in this transaction
ALL = -1  # "every thread" (a display name changed, a member was deleted)


class Backend(Protocol):
    """Where versions and entries live."""

    def lookup(self, thread_id: int, variant: str) -> tuple[str | None, bytes | None]:
        """The current version and the entry if it was built under that version."""

    def version(self, thread_id: int) -> str:
        """The current version token of a thread (created if missing)."""

    def store(self, thread_id: int, variant: str, version: str, value: bytes) -> None:
        """Keep ``value`` as built under ``version``."""

    def bump(self, thread_ids: set[int]) -> None:
        """Give these threads (or all, with ``ALL``) new version tokens."""


class MemoryBackend:
    """Process memory: an LRU bounded in bytes; for one process (dev server, tests)."""

    def __init__(self, max_bytes: int, ttl: int) -> None:
        self.max_bytes, self.ttl = max_bytes, ttl
        self._lock = threading.Lock()
        self._tokens = itertools.count(1)
        self._generation = 0
        # Never evicted (an int per thread): a forgotten version could make an old entry current.
        self._versions: dict[int, int] = {}
        self._entries: OrderedDict[tuple[int, str], tuple[str, float, bytes]] = OrderedDict()
        self._bytes = 0

    def _current(self, thread_id: int) -> str:
        return f"{self._generation}.{self._versions.get(thread_id, 0)}"

    def lookup(self, thread_id: int, variant: str) -> tuple[str | None, bytes | None]:
        with self._lock:
            version = self._current(thread_id)
            entry = self._entries.get((thread_id, variant))
            if entry is None or entry[0] != version or entry[1] < time.monotonic():
                return version, None
            self._entries.move_to_end((thread_id, variant))
            return version, entry[2]

    def version(self, thread_id: int) -> str:
        with self._lock:
            return self._current(thread_id)

    def store(self, thread_id: int, variant: str, version: str, value: bytes) -> None:
        if len(value) > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop((thread_id, variant), None)
            if old is not None:
                self._bytes -= len(old[2])
            self._entries[(thread_id, variant)] = (version, time.monotonic() + self.ttl, value)
            self._bytes += len(value)
            while self._bytes > self.max_bytes and self._entries:
                _, (_, _, evicted) = self._entries.popitem(last=False)
                self._bytes -= len(evicted)

    def bump(self, thread_ids: set[int]) -> None:
        with self._lock:
            if ALL in thread_ids:
                self._generation = next(self._tokens)
            for thread_id in thread_ids - {ALL}:
                self._versions[thread_id] = next(self._tokens)

    def clear(self) -> None:
        """Forget every entry (versions stay, so nothing old can come back)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0


class RedisBackend:
    """Redis: shared by every worker and host; entries expire after ``ttl`` as a safety net.

    Version tokens are random, never counters, so that a token lost to an eviction can
    never come back equal to one that an old entry was built under.
    """

    def __init__(self, url: str, prefix: str, ttl: int) -> None:
        import redis

        self.errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.prefix, self.ttl = f"{prefix}:cache", ttl

    def _keys(self, thread_id: int) -> tuple[str, str]:
        return f"{self.prefix}:gen", f"{self.prefix}:t:{thread_id}"

    def lookup(self, thread_id: int, variant: str) -> tuple[str | None, bytes | None]:
        gen, tver = self._keys(thread_id)
        values = cast(list[bytes | None], self.client.mget(
            gen, tver, f"{self.prefix}:e:{thread_id}:{variant}"))
        gen_token, thread_token, entry = values
        if gen_token is None or thread_token is None:
            return None, None
        version = f"{gen_token.decode()}.{thread_token.decode()}"
        if entry is None:
            return version, None
        built_under, _, value = entry.partition(b"|")
        return version, (value if built_under.decode() == version else None)

    def version(self, thread_id: int) -> str:
        tokens = []
        for key in self._keys(thread_id):
            self.client.set(key, uuid.uuid4().hex, nx=True)
            tokens.append(cast(bytes | None, self.client.get(key)) or b"")
        return ".".join(token.decode() for token in tokens)

    def store(self, thread_id: int, variant: str, version: str, value: bytes) -> None:
        self.client.set(f"{self.prefix}:e:{thread_id}:{variant}", version.encode() + b"|" + value,
                        ex=self.ttl)

    def bump(self, thread_ids: set[int]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for thread_id in thread_ids:
            key = f"{self.prefix}:gen" if thread_id == ALL else self._keys(thread_id)[1]
            pipe.set(key, uuid.uuid4().hex)
        pipe.execute()


class ThreadCache:
    """The cache of one application: read through it, and it is kept current by commits."""

    def __init__(self, backend: Backend, errors: tuple[type[Exception], ...] = ()) -> None:
        self.backend = backend
        self.errors = errors
        self.hits = self.misses = 0

    def read_through(self, thread_id: int, variant: str, build: Callable[[], bytes]) -> bytes:
        """The entry of ``variant`` for the thread, built by ``build()`` on a miss.

        Call only from a request that has written nothing: a miss ends the session's read
        transaction so that ``build`` sees the database as of after the version was read.
        """
        try:
            _, value = self.backend.lookup(thread_id, variant)
        except self.errors:
            log.warning("cache unavailable; reading from the database", exc_info=True)
            return build()
        if value is not None:
            self.hits += 1
            return value
        self.misses += 1
        db.session.rollback()  # a new snapshot, taken after the version below is read
        try:
            version = self.backend.version(thread_id)
        except self.errors:
            return build()
        value = build()
        try:
            self.backend.store(thread_id, variant, version, value)
        except self.errors:
            log.warning("cache unavailable; entry not stored", exc_info=True)
        return value

    def invalidate(self, thread_ids: set[int]) -> None:
        """New version tokens for these threads (``ALL``: every thread)."""
        if not thread_ids:
            return
        try:
            self.backend.bump(thread_ids)
        except self.errors:
            # The change is committed; entries expire by their TTL. Say so loudly.
            log.error("cache invalidation failed for %d thread(s); entries expire by TTL",
                      len(thread_ids), exc_info=True)


def init_app(app: Flask) -> None:
    """Create the application's cache: Redis if ``CACHE_REDIS_URL`` is set, else process memory.

    ``CACHE_REDIS_URL`` defaults to ``BOARD_REDIS_URL``; the test settings keep it unset.
    """
    if not app.config.get("CACHE_ENABLED", True):
        app.extensions["board_cache"] = None
        return
    ttl = int(app.config.get("CACHE_TTL", 300))
    url = app.config.get("CACHE_REDIS_URL")
    if url:
        backend = RedisBackend(url, app.config.get("CACHE_KEY_PREFIX", "board"), ttl)
        app.extensions["board_cache"] = ThreadCache(backend, backend.errors)
    else:
        max_bytes = int(app.config.get("CACHE_MAX_BYTES", 16 * 1024 * 1024))
        app.extensions["board_cache"] = ThreadCache(MemoryBackend(max_bytes, ttl))


def get_cache() -> ThreadCache | None:
    """The current application's cache, or None when caching is off."""
    cache: ThreadCache | None = current_app.extensions.get("board_cache")
    return cache


def read_through(thread_id: int, variant: str, build: Callable[[], bytes]) -> bytes:
    """``ThreadCache.read_through`` on the current application's cache (or just ``build()``)."""
    cache = get_cache()
    return build() if cache is None else cache.read_through(thread_id, variant, build)


def variant_key(*parts: object) -> str:
    """A short, safe entry name from request parameters (cursors are client-supplied)."""
    raw = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


# -- invalidation -----------------------------------------------------------------------------

def mark_thread_changed(session: Session, thread_id: int) -> None:
    """Record that the thread's public content changes in this transaction (see module doc)."""
    session.info.setdefault(_PENDING, set()).add(thread_id)


def mark_transition(session: Session, thread_id: int, source: State, target: State) -> None:
    """Record a lifecycle transition that moves a comment into or out of the approved set."""
    if State.APPROVED in (source, target):
        mark_thread_changed(session, thread_id)


def mark_all_changed(session: Session) -> None:
    """Record a change that may touch every thread (a display name, a deleted member)."""
    mark_thread_changed(session, ALL)


_PUBLIC_COMMENT_FIELDS = ("state", "body_html", "parent_id", "author_id", "thread_id",
                          "created_at")
_PUBLIC_THREAD_FIELDS = ("key", "title", "url", "is_open")


def _changed(obj: Any, fields: tuple[str, ...]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _was_or_is_approved(comment: Comment) -> bool:
    if "state" in sa.inspect(comment).unloaded:
        return True  # not loaded (expired by a transition): assume it may be public
    history = sa.inspect(comment).attrs.state.history
    states = [*history.added, *history.unchanged, *history.deleted]
    return any(s == State.APPROVED for s in states)


@sa.event.listens_for(Session, "before_flush")
def _record_orm_changes(session: Session, flush_context: Any, instances: Any) -> None:
    """ORM-level changes that alter what readers see (bulk UPDATEs call ``mark_*`` instead)."""
    for obj in session.new:
        if isinstance(obj, Comment) and obj.state == State.APPROVED:
            thread_id = obj.thread_id if obj.thread_id is not None else \
                (obj.thread.id if obj.thread is not None else None)
            if thread_id is not None:
                mark_thread_changed(session, thread_id)
    for obj in session.dirty:
        if isinstance(obj, Comment):
            if _was_or_is_approved(obj) and _changed(obj, _PUBLIC_COMMENT_FIELDS):
                for thread_id in {obj.thread_id, *sa.inspect(obj).attrs.thread_id.history.deleted}:
                    if thread_id is not None:
                        mark_thread_changed(session, thread_id)
        elif isinstance(obj, Thread):
            if _changed(obj, _PUBLIC_THREAD_FIELDS):
                mark_thread_changed(session, obj.id)
        elif isinstance(obj, User):
            if _changed(obj, ("display_name",)):
                mark_all_changed(session)
    for obj in session.deleted:
        if isinstance(obj, Comment) and obj.thread_id is not None:
            mark_thread_changed(session, obj.thread_id)
        elif isinstance(obj, Thread):
            mark_thread_changed(session, obj.id)
        elif isinstance(obj, User):
            mark_all_changed(session)


@sa.event.listens_for(Session, "after_commit")
def _invalidate_after_commit(session: Session) -> None:
    thread_ids: set[int] = session.info.pop(_PENDING, set())
    if thread_ids and has_app_context():
        cache = get_cache()
        if cache is not None:
            cache.invalidate(thread_ids)


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: Any) -> None:
    # after_commit has already taken the marks of a committed transaction; what is left
    # belongs to one rolled back. A savepoint's end keeps them (over-invalidating is harmless).
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
