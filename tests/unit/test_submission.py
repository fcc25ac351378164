"""Submission end to end without HTTP: screening, policy, and nothing ever lost."""
from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from board import settings
from board.comments.service import Submission, submit_comment
from board.extensions import db
from board.models import Comment, CommentEvent
from board.screening import pipeline
from board.timeutil import utcnow
from board.vocabulary import Action, State


def submit(thread, author, body):  # type: ignore[no-untyped-def]
    return submit_comment(thread, author, Submission(body, True), now=utcnow(),
                          terms_version="t", max_length=20_000)


def test_a_failing_screen_keeps_the_comment_pending_with_a_screen_error(make, monkeypatch) -> None:
    def broken(*args):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "SCREENS", (("profanity", broken), *pipeline.SCREENS[1:]))
    settings.put_setting(settings.POLICY_KEY, {"premoderate_all": False,
                                               "auto_approve_after": 1}, None)
    db.session.commit()
    thread, author = make.thread(), make.user()
    make.comment(thread, author, "earlier", State.APPROVED)
    comment = submit(thread, author, "A perfectly ordinary comment.")
    stored = db.session.get(Comment, comment.id)
    assert stored.state == State.PENDING  # a screen error is a flag: no auto-approval
    assert [f["code"] for f in stored.flags] == ["screen_error"]
    assert stored.body_raw == "A perfectly ordinary comment." and stored.risk > 0


def test_the_returned_comment_is_the_stored_row_and_has_one_history_row(make) -> None:
    thread, author = make.thread(), make.user()
    comment = submit(thread, author, "Call me on 202-555-0143, *please*.")
    assert sa.inspect(comment).persistent and not db.session.dirty
    columns = [column.key for column in sa.inspect(Comment).column_attrs]
    returned = {name: getattr(comment, name) for name in columns}
    db.session.expire(comment)  # read every column back from the database
    assert {name: getattr(comment, name) for name in columns} == returned
    assert returned["state"] == State.PENDING and returned["version"] == 1
    assert "202-555-0143" not in returned["body_html"] and returned["flags"]
    events = db.session.scalars(sa.select(CommentEvent)
                                .where(CommentEvent.comment_id == comment.id)).all()
    assert [(e.version, e.action, e.actor_id, e.from_state, e.to_state) for e in events] == [
        (1, Action.SUBMIT, author.id, None, State.PENDING)]


def test_pre_moderation_is_the_default(make) -> None:
    thread, author = make.thread(), make.user()
    for _ in range(3):
        make.comment(thread, author, "fine", State.APPROVED)
    assert submit(thread, author, "Another fine comment.").state == State.PENDING


def test_trusted_members_are_auto_approved_when_the_admin_enables_it(make) -> None:
    settings.put_setting(settings.POLICY_KEY, {"premoderate_all": False,
                                               "auto_approve_after": 2}, None)
    db.session.commit()
    thread, author, newcomer = make.thread(), make.user(), make.user()
    for _ in range(2):
        make.comment(thread, author, "fine", State.APPROVED)
    approved = submit(thread, author, "A welcome thought about the plan.")
    assert approved.state == State.APPROVED
    events = db.session.scalars(sa.select(CommentEvent).where(
        CommentEvent.comment_id == approved.id).order_by(CommentEvent.version)).all()
    assert [(e.action, e.actor_id) for e in events] == [(Action.SUBMIT, author.id),
                                                        (Action.APPROVE, None)]
    assert submit(thread, author, "Call me on 202-555-0143.").state == State.PENDING
    assert submit(thread, newcomer, "A first comment.").state == State.PENDING


def test_certain_spam_is_rejected_when_the_admin_enables_it(make) -> None:
    settings.put_setting(settings.POLICY_KEY, {"auto_reject_certain_spam": True}, None)
    db.session.commit()
    thread, author = make.thread(), make.user()
    links = " ".join(f"http://spam{i}.example/buy" for i in range(12))
    comment = submit(thread, author, f"Cheap watches {links}")
    assert comment.state == State.REJECTED and comment.reason.value == "spam"


def test_riskier_comments_rank_higher(make) -> None:
    thread, author = make.thread(), make.user()
    plain = submit(thread, author, "I like the plan.")
    risky = submit(thread, author, "I know where you live and I will kill you.")
    assert risky.risk > plain.risk == 0


def test_personal_information_never_reaches_readers_or_logs(make, client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    thread, author = make.thread("post-1"), make.user()
    comment = make.comment(thread, author, "My SSN is 123-45-6789, mail me at jo@example.org",
                           State.APPROVED)
    assert "123-45-6789" not in comment.body_html and "jo@example.org" not in comment.body_html
    page = client.get("/t/post-1").get_data(as_text=True)
    api = client.get("/api/v1/threads/post-1/comments").get_data(as_text=True)
    single = client.get(f"/api/v1/comments/{comment.id}").get_data(as_text=True)
    feed = client.get("/t/post-1/feed.atom").get_data(as_text=True)
    for surface in (page, api, single, feed):
        assert "123-45-6789" not in surface and "jo@example.org" not in surface
        assert "personal information removed" in surface
    assert "123-45-6789" not in caplog.text and "jo@example.org" not in caplog.text
    assert comment.body_raw.startswith("My SSN is 123-45-6789")  # moderators still see it


@pytest.mark.parametrize("body", ["x" * 20_000, "é" * 20_000, "[" * 20_000, "> " * 10_000])
def test_large_and_odd_bodies_are_stored(make, body) -> None:
    comment = submit(make.thread(), make.user(), body)
    assert db.session.get(Comment, comment.id).body_raw == body.strip()
