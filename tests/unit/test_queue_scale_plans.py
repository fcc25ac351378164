"""The queue's queries read a bounded range of an index, never the whole comments table (SPEC 8).

SQLite's ``EXPLAIN QUERY PLAN`` of every statement the queue page runs, on an analysed
database of thousands of comments: a ``SCAN comments`` would read the whole table, a
temporary B-tree would sort a whole queue, and the reported queue (approved comments with
open reports) must be a range on ``report_count``, not a search of every approved comment.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import Comment, User
from board.moderation import service
from board.moderation.service import QueueFilter
from board.timeutil import utcnow

pytestmark = pytest.mark.usefixtures("app")

ROWS = 4_000  # half pending, half approved


@pytest.fixture
def big_queue(make) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Thousands of pending and approved comments from a few authors, analysed.

    Returns the thread's and one author's ids.
    """
    if db.engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite; PostgreSQL is measured by the bench")
    thread, authors = make.thread(), [make.user() for _ in range(5)]
    now = utcnow()
    db.session.execute(sa.insert(Comment), [
        dict(thread_id=thread.id, author_id=authors[i % 5].id, body_raw=f"c{i}",
             body_html=f"<p>c{i}</p>", state=("pending", "approved")[i % 2], version=1,
             flags=[],
             risk=(10, 0, 40)[i % 3], report_count=0, consent_at=now, terms_version="t",
             created_at=now - timedelta(seconds=i), updated_at=now)
        for i in range(ROWS)])
    db.session.commit()
    with db.engine.connect() as connection:
        connection.execute(sa.text("ANALYZE"))
        connection.commit()
    return thread.id, authors[0].id


@contextmanager
def statements() -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) run on the comments table inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, many):  # type: ignore[no-untyped-def]
        if "comments" in statement and statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)


def plan(statement: str, parameters: Any) -> list[str]:
    """The details of SQLite's query plan of one statement."""
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return [str(row[3]) for row in rows]


def assert_bounded(run: Callable[[], object], *, sorted_by_index: bool = True) -> None:
    with statements() as seen:
        run()
    assert seen
    for statement, parameters in seen:
        details = plan(statement, parameters)
        if "report_count >" in statement:
            assert any(d.startswith("SEARCH comments") and "report_count>?" in d
                       for d in details), (statement, details)
        scans = [d for d in details if d.startswith("SCAN comments")]
        assert not scans, (statement, details)
        if sorted_by_index:
            assert not any("TEMP B-TREE" in d for d in details), (statement, details)


@pytest.mark.parametrize("queue", ["pending", "flagged", "rejected", "unpublished", "approved"])
def test_queue_pages_read_the_queue_index_in_order(big_queue, queue: str) -> None:
    first = service.queue_page(QueueFilter(queue), cursor=None, limit=50)
    assert_bounded(lambda: service.queue_page(QueueFilter(queue), cursor=None, limit=50))
    if first.next_cursor:
        cursor = first.next_cursor
        assert_bounded(lambda: service.queue_page(QueueFilter(queue), cursor=cursor, limit=50))


def test_the_reported_queue_is_a_range_not_every_approved_comment(big_queue) -> None:
    # Its set is small (open reports), so sorting it is fine; reading every row is not.
    assert_bounded(lambda: service.queue_page(QueueFilter("reported"), cursor=None, limit=50),
                   sorted_by_index=False)


def test_every_tab_count_is_a_bounded_index_range(big_queue) -> None:
    counts = service.queue_counts()
    assert counts["pending"] == counts["approved"] == service.COUNT_CAP + 1
    assert counts["reported"] == 0
    assert_bounded(service.queue_counts)


def test_author_standings_stop_counting_at_the_cap(big_queue) -> None:
    _, author_id = big_queue
    author = db.session.get(User, author_id)
    assert author is not None
    standing = service.queue_standings([author], utcnow())[author_id]
    assert standing.counts["pending"] == f"{service.STANDING_CAP}+"
    assert standing.counts["approved"] == f"{service.STANDING_CAP}+"
    assert standing.counts["rejected"] == "0" and standing.suspensions == 0
    assert_bounded(lambda: service.queue_standings([author], utcnow()))
