"""A read-through cache of what thread reads serve, invalidated around each commit.

Readers get the serialized approved comments of a thread (the JSON page with its ETag,
the anonymous thread page) from here instead of the database. Entries live in process
memory (a bounded LRU) for a single process, and in Redis when ``BOARD_REDIS_URL`` is set,
so that every worker and every host sees the same entries and the same invalidations. The
in-process backend is refused when the application knows it runs in several worker
processes (``BOARD_WORKER_PROCESSES``, set by ``gunicorn.conf.py``): one worker could never
tell the others that a comment was unpublished.

Invalidation is by version: each thread has a version token, and an entry is only served
while the token it was built under is still current. Code that changes a thread's approved
set records the thread on the SQLAlchemy session (``mark_thread_changed``; ORM changes to
comments, threads and display names are recorded by a ``before_flush`` hook). Then:

1. before the commit, the thread's token is replaced by a *changing* marker. Readers treat
   a marker as a miss and never store under it, so from here until a fresh token exists
   nobody serves an entry of that thread;
2. after the commit (or a rollback), a fresh random token replaces the marker.

A reader that read the old token before the marker can at worst store an entry under that
old token, which is never current again. If the marker cannot be written (Redis down or
stalled), this worker serves that thread from the database until a fresh token is set. If
the fresh token cannot be written, the marker stays (no worker serves the thread from the
cache) and a background thread of this worker retries until it can; a marker also expires
by itself (``CACHE_TTL``), so a worker that dies before its retry costs caching, never
freshness. A reader that misses starts a fresh database snapshot *after* reading the
token (SQLite keeps one snapshot per transaction).
"""
from __future__ import annotations

import hashlib
import itertools
import logging
import threading
import time
import uuid
from collections import Counter, OrderedDict
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
_MARKED = "board_cache_marked"  # session.info key: ids given a changing marker before commit
_CACHE = "board_cache_instance"  # session.info key: the cache those markers belong to
ALL = -1  # "every thread" (a display name changed, a member was deleted)
MARKER = "~"  # a version token starting with this is a changing marker, never a version


def is_marker(version: str | None) -> bool:
    """Whether ``version`` holds a changing marker (a miss; nothing is stored under it)."""
    return version is not None and MARKER in version


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

    def mark_changing(self, thread_ids: set[int]) -> None:
        """Replace these threads' tokens (or all, with ``ALL``) by changing markers."""


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

    def mark_changing(self, thread_ids: set[int]) -> None:
        # One process, writes that cannot fail, and the bump follows the commit at once in
        # the same process: a version change after the commit is enough.
        return None

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

    def __init__(self, url: str, prefix: str, ttl: int, marker_ttl: int | None = None) -> None:
        import redis

        self.errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.prefix, self.ttl = f"{prefix}:cache", ttl
        # A marker outlives any transaction; if its worker died before the fresh token, the
        # key then disappears and the next reader creates a new token (a miss, never stale).
        self.marker_ttl = marker_ttl or max(ttl, 60)

    def _keys(self, thread_id: int) -> tuple[str, str]:
        return f"{self.prefix}:gen", f"{self.prefix}:t:{thread_id}"

    def _key(self, thread_id: int) -> str:
        return f"{self.prefix}:gen" if thread_id == ALL else self._keys(thread_id)[1]

    def lookup(self, thread_id: int, variant: str) -> tuple[str | None, bytes | None]:
        gen, tver = self._keys(thread_id)
        values = cast(list[bytes | None], self.client.mget(
            gen, tver, f"{self.prefix}:e:{thread_id}:{variant}"))
        gen_token, thread_token, entry = values
        if gen_token is None or thread_token is None:
            return None, None
        version = f"{gen_token.decode()}.{thread_token.decode()}"
        if entry is None or is_marker(version):
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
        if is_marker(version):
            return
        self.client.set(f"{self.prefix}:e:{thread_id}:{variant}", version.encode() + b"|" + value,
                        ex=self.ttl)

    def bump(self, thread_ids: set[int]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for thread_id in thread_ids:
            pipe.set(self._key(thread_id), uuid.uuid4().hex)  # also clears a marker's expiry
        pipe.execute()

    def mark_changing(self, thread_ids: set[int]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for thread_id in thread_ids:
            pipe.set(self._key(thread_id), MARKER + uuid.uuid4().hex, ex=self.marker_ttl)
        pipe.execute()


class ThreadCache:
    """The cache of one application: read through it, and it is kept current by commits."""

    def __init__(self, backend: Backend, errors: tuple[type[Exception], ...] = (),
                 retry_seconds: float = 1.0) -> None:
        self.backend = backend
        self.errors = errors
        self.hits = self.misses = 0
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        # Threads whose marker could not be written, per transaction still running, and
        # threads whose fresh token is still to be written: read from the database here.
        self._unmarked: Counter[int] = Counter()
        self._retry: set[int] = set()
        self._wake = threading.Event()
        self._retrier: threading.Thread | None = None

    def bypassed(self, thread_id: int) -> bool:
        """Whether this worker must not use the cache for the thread (its version is unknown)."""
        with self._lock:
            if not self._unmarked and not self._retry:
                return False
            return any(self._unmarked[t] > 0 or t in self._retry for t in (thread_id, ALL))

    def read_through(self, thread_id: int, variant: str, build: Callable[[], bytes]) -> bytes:
        """The entry of ``variant`` for the thread, built by ``build()`` on a miss.

        Call only from a request that has written nothing: a miss ends the session's read
        transaction so that ``build`` sees the database as of after the version was read.
        Nothing is stored while the thread is changing or its version is unknown.
        """
        if self.bypassed(thread_id):
            return build()
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
        if is_marker(version) or self.bypassed(thread_id):
            return value
        try:
            self.backend.store(thread_id, variant, version, value)
        except self.errors:
            log.warning("cache unavailable; entry not stored", exc_info=True)
        return value

    def before_commit(self, thread_ids: set[int]) -> bool:
        """Mark these threads as changing; False (and bypassed here) if that failed."""
        if not thread_ids:
            return True
        try:
            self.backend.mark_changing(thread_ids)
            return True
        except self.errors:
            log.error("cache: could not mark %d thread(s) as changing; this worker reads them "
                      "from the database until their version is known", len(thread_ids),
                      exc_info=True)
            with self._lock:
                self._unmarked.update(thread_ids)
            return False

    def after_end(self, thread_ids: set[int], unmarked: bool = False) -> None:
        """Fresh version tokens after a commit or rollback; retried in the background if the
        write fails (the marker, where written, keeps every worker off the old entries)."""
        if not thread_ids:
            return
        with self._lock:
            if unmarked:
                self._unmarked.subtract(thread_ids)
                self._unmarked = +self._unmarked  # drop zeros
        self.invalidate(thread_ids)

    def invalidate(self, thread_ids: set[int]) -> None:
        """New version tokens for these threads (``ALL``: every thread), now or by retry."""
        if not thread_ids:
            return
        try:
            self.backend.bump(thread_ids)
        except self.errors:
            log.error("cache invalidation failed for %d thread(s); retrying in the background, "
                      "the thread is read from the database meanwhile", len(thread_ids),
                      exc_info=True)
            self._schedule(thread_ids)
            return
        with self._lock:
            self._retry -= thread_ids

    def _schedule(self, thread_ids: set[int]) -> None:
        with self._lock:
            self._retry |= thread_ids
            if self._retrier is None or not self._retrier.is_alive():
                self._retrier = threading.Thread(target=self._retry_loop, name="board-cache-retry",
                                                 daemon=True)
                self._retrier.start()
        self._wake.set()

    def _retry_loop(self) -> None:
        delay = self.retry_seconds
        while True:
            self._wake.wait(delay)
            self._wake.clear()
            with self._lock:
                pending = set(self._retry)
            if not pending:
                with self._lock:
                    if not self._retry:
                        self._retrier = None
                        return
                continue
            try:
                self.backend.bump(pending)
            except self.errors:
                delay = min(delay * 2, 30.0)
                continue
            log.info("cache: fresh versions written for %d thread(s) after a failure",
                     len(pending))
            delay = self.retry_seconds
            with self._lock:
                self._retry -= pending

    def pending_retries(self) -> set[int]:
        """Threads whose fresh version is still to be written (for tests and health)."""
        with self._lock:
            return set(self._retry)


def init_app(app: Flask) -> None:
    """Create the application's cache: Redis if ``CACHE_REDIS_URL`` is set, else process memory.

    ``CACHE_REDIS_URL`` defaults to ``BOARD_REDIS_URL``; the test settings keep it unset.
    Process memory is refused (the cache is off) when ``WORKER_PROCESSES`` says that
    several processes serve the application: they could not invalidate each other.
    """
    if not app.config.get("CACHE_ENABLED", True):
        app.extensions["board_cache"] = None
        return
    ttl = int(app.config.get("CACHE_TTL", 300))
    retry = float(app.config.get("CACHE_RETRY_SECONDS", 1.0))
    url = app.config.get("CACHE_REDIS_URL")
    if url:
        backend = RedisBackend(url, app.config.get("CACHE_KEY_PREFIX", "board"), ttl)
        app.extensions["board_cache"] = ThreadCache(backend, backend.errors, retry)
    elif int(app.config.get("WORKER_PROCESSES") or 1) > 1:
        log.warning("the thread cache is off: %s worker processes and no BOARD_REDIS_URL, so "
                    "a change made in one worker could not reach the others' caches",
                    app.config.get("WORKER_PROCESSES"))
        app.extensions["board_cache"] = None
    else:
        max_bytes = int(app.config.get("CACHE_MAX_BYTES", 16 * 1024 * 1024))
        app.extensions["board_cache"] = ThreadCache(MemoryBackend(max_bytes, ttl), (), retry)


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


def _cache_for(session: Session) -> ThreadCache | None:
    if not has_app_context():
        return None
    return get_cache()


@sa.event.listens_for(Session, "before_commit")
def _mark_before_commit(session: Session) -> None:
    """Changing markers for the threads this transaction changes, before it commits."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # so that the before_flush hook has recorded every change
    thread_ids: set[int] = session.info.get(_PENDING, set())
    if not thread_ids:
        return
    cache = _cache_for(session)
    if cache is None:
        return
    marked: dict[int, bool] = session.info.setdefault(_MARKED, {})
    new = thread_ids - marked.keys()
    if new:
        ok = cache.before_commit(new)
        marked.update(dict.fromkeys(new, ok))
        session.info[_CACHE] = cache


@sa.event.listens_for(Session, "after_commit")
def _invalidate_after_commit(session: Session) -> None:
    thread_ids: set[int] = session.info.pop(_PENDING, set())
    marked: dict[int, bool] = session.info.pop(_MARKED, {})
    cache: ThreadCache | None = session.info.pop(_CACHE, None) or _cache_for(session)
    if cache is None or not (thread_ids or marked):
        return
    _end(cache, thread_ids | marked.keys(), marked)


def _end(cache: ThreadCache, thread_ids: set[int], marked: dict[int, bool]) -> None:
    unmarked = {t for t, ok in marked.items() if not ok}
    if unmarked:
        cache.after_end(unmarked, unmarked=True)
    cache.after_end(thread_ids - unmarked)


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_uncommitted(session: Session, transaction: Any) -> None:
    # after_commit has already taken the marks of a committed transaction; what is left
    # belongs to one rolled back. A savepoint's end keeps them (over-invalidating is harmless).
    # Markers written before a commit that then failed are replaced by fresh tokens.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        marked: dict[int, bool] = session.info.pop(_MARKED, {})
        cache: ThreadCache | None = session.info.pop(_CACHE, None)
        if marked and cache is not None:
            _end(cache, set(marked), marked)
