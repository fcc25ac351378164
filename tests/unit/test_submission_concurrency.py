"""Members submitting at the same moment, as several workers would: nothing lost or doubled."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from board.comments.service import Submission, submit_comment
from board.extensions import db
from board.models import Comment, CommentEvent, Thread, User
from board.timeutil import utcnow
from board.vocabulary import State

WRITERS = 6
EACH = 5


def test_simultaneous_submissions_are_each_stored_once_with_their_history(app, make) -> None:
    thread = make.thread()
    authors = [make.user() for _ in range(WRITERS)]
    thread_id, author_ids = thread.id, [a.id for a in authors]
    barrier = threading.Barrier(WRITERS)
    accepted: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def write(index: int) -> None:
        with app.app_context():  # its own session and connection, as another worker would
            try:
                target = db.session.get(Thread, thread_id)
                author = db.session.get(User, author_ids[index])
                barrier.wait(timeout=10)
                for n in range(EACH):
                    comment = submit_comment(
                        target, author, Submission(f"Writer {index}, comment {n}.", True),
                        now=utcnow(), terms_version="t", max_length=20_000)
                    with lock:
                        accepted.append(comment.id)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                with lock:
                    failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for worker in threads:
        worker.start()
    for worker in threads:
        worker.join(timeout=60)

    assert failures == []
    assert len(accepted) == len(set(accepted)) == WRITERS * EACH
    db.session.expire_all()
    stored = db.session.execute(
        sa.select(Comment.id, Comment.body_raw, Comment.state).where(Comment.thread_id == thread_id)
    ).all()
    assert sorted(row.id for row in stored) == sorted(accepted)
    assert {row.body_raw for row in stored} == {
        f"Writer {i}, comment {n}." for i in range(WRITERS) for n in range(EACH)}
    assert {row.state for row in stored} == {State.PENDING}
    history = db.session.execute(
        sa.select(CommentEvent.comment_id, sa.func.count())
        .where(CommentEvent.comment_id.in_(accepted)).group_by(CommentEvent.comment_id)
    ).all()
    assert sorted(history) == sorted((comment_id, 1) for comment_id in accepted)
