"""Signed-out embed reads come from the thread cache and change as soon as a decision does."""
from __future__ import annotations

from board import lifecycle
from board.cache import get_cache
from board.extensions import db
from board.timeutil import utcnow
from board.vocabulary import State


def test_embed_reads_are_cached_and_invalidated_by_decisions(client, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    make.comment(thread, author, "First words", State.APPROVED)
    waiting = make.comment(thread, author, "Second words")
    cache = get_cache()
    assert cache is not None
    first = client.get("/embed/post-1").get_data(as_text=True)
    hits = cache.hits
    again = client.get("/embed/post-1").get_data(as_text=True)
    assert again == first and cache.hits == hits + 1 and "Second words" not in again
    lifecycle.transition(waiting, "approve", None, now=utcnow())
    db.session.commit()
    after = client.get("/embed/post-1").get_data(as_text=True)
    assert "Second words" in after and "First words" in after
    themed = client.get("/embed/post-1?accent=%23aa0000").get_data(as_text=True)
    assert "aa0000" in themed and "aa0000" not in after


def test_embed_entries_are_kept_per_script_root(client, make) -> None:
    make.thread("post-1")
    plain = client.get("/embed/post-1").get_data(as_text=True)
    mounted = client.get("/embed/post-1", environ_overrides={"SCRIPT_NAME": "/board"})
    body = mounted.get_data(as_text=True)
    assert mounted.status_code == 200 and 'data-api="/board/api/v1/' in body
    assert 'data-api="/api/v1/' in plain
