"""A failed cache invalidation fails safe: no cached read of a changed thread until its
version is known again. Against the real Redis, with writes that fail for real: the app's
Redis client goes through a TCP proxy on 127.0.0.1 that the test stalls."""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from board import create_app, lifecycle
from board.cache import ThreadCache, is_marker
from board.extensions import db
from board.models import Comment
from board.timeutil import utcnow

from ..builders import Builders
from ..conftest import IsolatedClient, redis_or_skip

REDIS_URL = os.environ.get("BOARD_TEST_REDIS_URL") or os.environ.get("BOARD_REDIS_URL") \
    or "redis://127.0.0.1:6379/5"
REDIS_DB = REDIS_URL.rsplit("/", 1)[-1] if REDIS_URL.rsplit("/", 1)[-1].isdigit() else "0"
REDIS_ADDRESS = ("127.0.0.1", 6379)
READS = 40


class StallingProxy:
    """A TCP proxy to Redis; while stalled, what clients send never reaches Redis."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.stalled = threading.Event()
        self.closed = False
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(REDIS_ADDRESS)
            self.sockets += [client, upstream]
            for src, dst, outgoing in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pump, args=(src, dst, outgoing), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, outgoing: bool) -> None:
        try:
            while data := src.recv(65536):
                if outgoing and self.stalled.is_set():
                    continue  # dropped: the command never runs
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.close()
                except OSError:
                    pass

    def close(self) -> None:
        self.closed = True
        self.server.close()
        for sock in self.sockets:
            try:
                sock.close()
            except OSError:
                pass


@pytest.fixture
def redis_direct() -> Iterator[Any]:
    client = redis_or_skip(REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def proxy() -> Iterator[StallingProxy]:
    running = StallingProxy()
    yield running
    running.stalled.clear()
    running.close()


def _app(database_url: str, cache_url: str, prefix: str) -> Flask:
    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "CACHE_REDIS_URL": cache_url, "CACHE_KEY_PREFIX": prefix,
                      "CACHE_RETRY_SECONDS": 0.2})
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def workers(database_url: str, proxy: StallingProxy,
            redis_direct: Any) -> Iterator[tuple[Flask, Flask]]:
    """Two apps standing for two workers on one database and one Redis: ``a`` reaches Redis
    through the proxy, ``b`` directly."""
    prefix = f"board-failsafe-{uuid.uuid4().hex[:8]}"
    a = _app(database_url, f"redis://127.0.0.1:{proxy.port}/{REDIS_DB}", prefix)
    b = _app(database_url, REDIS_URL, prefix)
    with a.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        yield a, b
        proxy.stalled.clear()
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()
    with b.app_context():
        db.engine.dispose()
    for app in (a, b):
        cache_of(app).backend.client.close()  # type: ignore[attr-defined]
    for key in redis_direct.scan_iter(f"{prefix}:*"):
        redis_direct.delete(key)


def cache_of(app: Flask) -> ThreadCache:
    value = app.extensions["board_cache"]
    assert isinstance(value, ThreadCache)
    return value


def shown(client: Any, key: str, body: str) -> int:
    """How many of READS anonymous reads (JSON and page) still show ``body``."""
    count = 0
    for n in range(READS):
        if n % 2:
            text = client.get(f"/api/v1/threads/{key}/comments").get_data(as_text=True)
        else:
            text = client.get(f"/t/{key}").get_data(as_text=True)
        count += body in text
    return count


def published(app: Flask) -> tuple[Comment, str]:
    thread = Builders.thread("post-1")
    comment = Builders.comment(thread, Builders.user(), "Soon unpublished", "approved")
    return comment, thread.key


def unpublish(comment: Comment) -> None:
    comment = db.session.get(Comment, comment.id)
    lifecycle.transition(comment, "unpublish", None, now=utcnow(), reason="other")
    db.session.commit()


def wait_for(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_failed_write_after_the_commit_leaves_every_worker_off_the_old_entry(
        workers, proxy) -> None:
    a, b = workers
    comment, key = published(a)
    reader_a, reader_b = a.test_client(), b.test_client()
    assert shown(reader_a, key, "Soon unpublished") == READS  # cached in both workers
    assert shown(reader_b, key, "Soon unpublished") == READS
    assert cache_of(b).hits > 0

    def stall_after_marking(session: Session) -> None:
        proxy.stalled.set()  # runs after the cache's own before_commit: the marker is written

    sa.event.listen(Session, "before_commit", stall_after_marking)
    try:
        unpublish(comment)  # the fresh version cannot be written: Redis does not answer
    finally:
        sa.event.remove(Session, "before_commit", stall_after_marking)
    assert cache_of(a).pending_retries()
    hits = cache_of(b).hits
    assert shown(reader_b, key, "Soon unpublished") == 0  # the marker: a miss for everyone
    assert shown(reader_a, key, "Soon unpublished") == 0
    assert cache_of(b).hits == hits  # nothing served from the cache meanwhile
    proxy.stalled.clear()
    wait_for(lambda: not cache_of(a).pending_retries())  # the retry wrote a fresh version
    assert shown(reader_b, key, "Soon unpublished") == 0
    assert cache_of(b).hits > hits  # and the cache serves the thread again


def test_a_marker_that_cannot_be_written_keeps_this_worker_on_the_database(
        workers, proxy, redis_direct) -> None:
    a, b = workers
    comment, key = published(a)
    reader_a, reader_b = a.test_client(), b.test_client()
    assert shown(reader_a, key, "Soon unpublished") == READS
    proxy.stalled.set()  # Redis unreachable from worker a for the whole change
    unpublish(comment)
    assert shown(reader_a, key, "Soon unpublished") == 0
    proxy.stalled.clear()
    wait_for(lambda: not cache_of(a).pending_retries())
    assert not cache_of(a).bypassed(comment.thread_id)
    assert shown(reader_a, key, "Soon unpublished") == 0
    assert shown(reader_b, key, "Soon unpublished") == 0


def test_a_reader_that_read_the_old_version_cannot_store_under_a_current_one(
        workers, redis_direct) -> None:
    _, b = workers
    backend = cache_of(b).backend
    seen = backend.version(7)  # a reader read the version, then the database (old data)
    backend.mark_changing({7})  # a change is about to commit
    backend.store(7, "page", seen, b"old")
    marker = backend.version(7)
    assert is_marker(marker) and backend.lookup(7, "page")[1] is None
    backend.store(7, "page", marker, b"read while changing")  # never stored under a marker
    assert backend.lookup(7, "page")[1] is None
    backend.bump({7})  # after the commit
    assert backend.lookup(7, "page")[1] is None
    fresh = backend.version(7)
    assert not is_marker(fresh)
    backend.store(7, "page", fresh, b"new")
    assert backend.lookup(7, "page")[1] == b"new"


def test_a_marker_left_by_a_dead_worker_expires_into_a_fresh_version(redis_direct) -> None:
    from board.cache import RedisBackend

    backend = RedisBackend(REDIS_URL, f"board-failsafe-{uuid.uuid4().hex[:8]}", 60,
                           marker_ttl=1)
    try:
        old = backend.version(3)
        backend.store(3, "page", old, b"old")
        backend.mark_changing({3})  # and the worker dies before writing a fresh version
        assert is_marker(backend.version(3))
        time.sleep(1.2)
        fresh = backend.version(3)
        assert not is_marker(fresh) and fresh != old
        assert backend.lookup(3, "page")[1] is None
    finally:
        for key in redis_direct.scan_iter(f"{backend.prefix}:*"):
            redis_direct.delete(key)
        backend.client.close()
