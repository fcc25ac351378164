"""The thread-read cache: hits, invalidation after commit only, bounds, Redis, failures."""
from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from flask import Flask

from board import cache, lifecycle
from board.cache import ALL, MemoryBackend, RedisBackend, ThreadCache
from board.extensions import db
from board.timeutil import utcnow
from board.vocabulary import State

REDIS_URL = os.environ.get("BOARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def listing(client: Any, key: str = "post-1", **headers: str) -> Any:
    return client.get(f"/api/v1/threads/{key}/comments", headers=headers)


def bodies(response: Any) -> list[str]:
    return [c["body_html"] for c in response.get_json()["comments"]]


def the_cache(app: Flask) -> ThreadCache:
    value = app.extensions["board_cache"]
    assert isinstance(value, ThreadCache)
    return value


def test_a_second_read_comes_from_the_cache(app, client, make, statements) -> None:
    thread, author = make.thread("post-1"), make.user()
    make.comment(thread, author, "first", State.APPROVED)
    first = listing(client)
    statements.clear()
    second = listing(client)
    assert second.get_data() == first.get_data()
    assert second.headers["ETag"] == first.headers["ETag"]
    # Only the thread lookup: the comments, their authors and the JSON come from the cache.
    assert len(statements) == 1 and "FROM threads" in statements[0]
    assert the_cache(app).hits >= 1


@pytest.mark.parametrize("path", [
    ["approve"], ["approve", "unpublish"], ["approve", "unpublish", "republish"],
])
def test_every_transition_into_or_out_of_approved_shows_at_once(client, make, path) -> None:
    thread, author = make.thread("post-1"), make.user()
    comment = make.comment(thread, author, "watched")
    assert bodies(listing(client)) == []
    for action in path:
        lifecycle.transition(comment, action, None, now=utcnow(),
                             reason="other" if action == "unpublish" else None)
        db.session.commit()
        shown = any("watched" in body for body in bodies(listing(client)))
        assert shown is (action != "unpublish"), action


def test_invalidation_waits_for_the_commit(app, client, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    comment = make.comment(thread, author, "late")
    listing(client)
    backend = the_cache(app).backend
    before = backend.version(thread.id)
    lifecycle.transition(comment, "approve", None, now=utcnow())
    assert backend.version(thread.id) == before  # flushed, not committed: nothing changes yet
    db.session.commit()
    assert backend.version(thread.id) != before
    assert any("late" in body for body in bodies(listing(client)))


def test_a_rolled_back_change_invalidates_nothing(app, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    comment = make.comment(thread, author, "never")
    backend = the_cache(app).backend
    before = backend.version(thread.id)
    lifecycle.transition(comment, "approve", None, now=utcnow())
    db.session.rollback()
    db.session.commit()  # an empty commit afterwards must not carry the discarded mark
    assert backend.version(thread.id) == before


def test_changes_that_do_not_touch_the_approved_set_keep_the_entry(app, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    comment = make.comment(thread, author, "pending one")  # a submission stays pending
    backend = the_cache(app).backend
    before = backend.version(thread.id)
    lifecycle.transition(comment, "reject", None, now=utcnow(), reason="spam")
    db.session.commit()
    assert backend.version(thread.id) == before


def test_orm_changes_to_public_content_invalidate(app, client, make) -> None:
    thread, author = make.thread("post-1"), make.user(name="Ann")
    comment = make.comment(thread, author, "original", State.APPROVED)
    assert listing(client).get_json()["comments"][0]["author"] == {"display_name": "Ann"}
    author.display_name = "Ann B."  # may touch every thread
    db.session.commit()
    assert listing(client).get_json()["comments"][0]["author"] == {"display_name": "Ann B."}
    comment.body_html = "<p>[erased]</p>"  # erasure blanks an approved comment's text
    db.session.commit()
    assert bodies(listing(client)) == ["<p>[erased]</p>"]


def test_a_reader_that_raced_a_change_cannot_bring_old_data_back() -> None:
    backend = MemoryBackend(max_bytes=1 << 20, ttl=60)
    seen = backend.version(7)  # a reader reads the version, then the database (old data)
    backend.bump({7})  # meanwhile a decision commits
    backend.store(7, "page", seen, b"old")  # the slow reader stores what it read
    assert backend.lookup(7, "page")[1] is None
    backend.store(7, "page", backend.version(7), b"new")
    assert backend.lookup(7, "page")[1] == b"new"
    backend.bump({ALL})
    assert backend.lookup(7, "page")[1] is None


def test_the_memory_cache_is_bounded_in_bytes() -> None:
    backend = MemoryBackend(max_bytes=10_000, ttl=60)
    for thread_id in range(20):
        backend.store(thread_id, "p", backend.version(thread_id), b"x" * 1_000)
    assert backend._bytes <= 10_000
    assert backend.lookup(19, "p")[1] is not None and backend.lookup(0, "p")[1] is None
    backend.store(1, "huge", backend.version(1), b"x" * 5_000)  # over a quarter: not kept
    assert backend.lookup(1, "huge")[1] is None


def test_the_anonymous_thread_page_is_cached_and_members_get_their_own(
        app, client, make) -> None:
    from tests.builders import sign_in

    thread, author = make.thread("post-1", "Cached post"), make.user()
    make.comment(thread, author, "visible", State.APPROVED)
    first = client.get("/t/post-1")
    assert first.status_code == 200 and b"visible" in first.data
    hits = the_cache(app).hits
    assert client.get("/t/post-1").data == first.data and the_cache(app).hits == hits + 1
    make.comment(thread, author, "second one", State.APPROVED)
    assert b"second one" in client.get("/t/post-1").data
    sign_in(client, author.email)
    mine = client.get("/t/post-1")
    assert b"Send for moderation" in mine.data and the_cache(app).hits == hits + 1


def test_a_cache_that_fails_falls_back_to_the_database(app, client, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    make.comment(thread, author, "still here", State.APPROVED)
    broken = RedisBackend("redis://127.0.0.1:1/0", "board-test", 60)
    app.extensions["board_cache"] = ThreadCache(broken, broken.errors)
    response = listing(client)
    assert response.status_code == 200 and bodies(response) == [
        c for c in bodies(response) if "still here" in c]
    make.comment(thread, author, "approved while down", State.APPROVED)  # no 500 on commit


def test_caching_can_be_turned_off(make) -> None:
    from board import create_app

    app = create_app({"BOARD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "CACHE_ENABLED": False})
    assert app.extensions["board_cache"] is None
    with app.test_request_context():
        assert cache.read_through(1, "x", lambda: b"built") == b"built"


@pytest.fixture
def redis_backend():  # type: ignore[no-untyped-def]
    redis = pytest.importorskip("redis")
    prefix = f"board-test-{uuid.uuid4().hex[:8]}"
    backend = RedisBackend(REDIS_URL, prefix, 60)
    try:
        backend.client.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error})")
    yield backend
    for key in backend.client.scan_iter(f"{prefix}:*"):
        backend.client.delete(key)


def test_redis_backend_versions_entries_and_races(redis_backend) -> None:
    backend = redis_backend
    assert backend.lookup(3, "api") == (None, None)  # no version yet: a miss
    seen = backend.version(3)
    assert backend.version(3) == seen  # stable until bumped
    backend.store(3, "api", seen, b"payload|with|bars")
    assert backend.lookup(3, "api") == (seen, b"payload|with|bars")
    backend.bump({3})
    assert backend.lookup(3, "api")[1] is None
    backend.store(3, "api", seen, b"stale")  # a slow reader's late store
    assert backend.lookup(3, "api")[1] is None
    fresh = backend.version(3)
    backend.store(3, "api", fresh, b"new")
    backend.bump({ALL})
    assert backend.lookup(3, "api")[1] is None
    other = RedisBackend(REDIS_URL, backend.prefix.removesuffix(":cache"), 60)
    assert other.version(3) == backend.version(3)  # another process sees the same tokens
