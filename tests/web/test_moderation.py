"""The first moderation page: pending queue, approve, reject with a reason."""
from __future__ import annotations

from datetime import timedelta

import pytest

from board.extensions import db
from board.models import Comment
from board.timeutil import utcnow
from board.vocabulary import Reason, Role, State

from ..builders import post_form, sign_in


@pytest.fixture
def moderator_client(client, make):  # type: ignore[no-untyped-def]
    make.user(Role.MODERATOR, email="mod@example.org", name="Mo")
    sign_in(client, "mod@example.org")
    return client


def decide(client, comment, action, version=None, reason="", note=""):  # type: ignore[no-untyped-def]
    return post_form(client, f"/moderation/comments/{comment.id}/decision", {
        "action": action, "version": str(version or comment.version), "reason": reason,
        "note": note}, page="/moderation/", follow_redirects=True)


def test_signed_out_readers_are_sent_to_sign_in(client) -> None:
    response = client.get("/moderation/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    response = client.post("/moderation/comments/1/decision", data={"action": "approve"})
    assert response.status_code in (302, 400)


def test_members_get_403(client, make) -> None:
    thread, member = make.thread(), make.user(email="m@example.org")
    comment = make.comment(thread, member)
    sign_in(client, "m@example.org")
    assert client.get("/moderation/").status_code == 403
    token_page = client.get("/t/" + thread.key).get_data(as_text=True)
    assert "Moderation" not in token_page
    response = post_form(client, f"/moderation/comments/{comment.id}/decision",
                         {"action": "approve", "version": "1"}, page="/t/" + thread.key)
    assert response.status_code == 403
    assert db.session.get(Comment, comment.id).state == State.PENDING


def test_the_queue_lists_pending_comments_oldest_first(moderator_client, make) -> None:
    thread, author = make.thread(), make.user()
    now = utcnow()
    newer = make.comment(thread, author, "Newer comment", now=now - timedelta(minutes=5))
    older = make.comment(thread, author, "Older comment", now=now - timedelta(hours=3))
    make.comment(thread, author, "Already approved", State.APPROVED)
    html = moderator_client.get("/moderation/").get_data(as_text=True)
    assert html.index("Older comment") < html.index("Newer comment")
    assert "Already approved" not in html
    assert "waiting 3 hours" in html and "waiting 5 minutes" in html
    assert f"#{older.id}" in html and f"#{newer.id}" in html


def test_raw_text_is_shown_escaped(moderator_client, make) -> None:
    make.comment(make.thread(), make.user(), "<b>bold?</b> <script>x()</script>")
    html = moderator_client.get("/moderation/").get_data(as_text=True)
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html


def test_approve_publishes_the_comment(moderator_client, make) -> None:
    thread = make.thread("post-1")
    comment = make.comment(thread, make.user(), "Please publish me")
    response = decide(moderator_client, comment, "approve")
    assert "is now approved" in response.get_data(as_text=True)
    assert "Please publish me" in moderator_client.get("/t/post-1").get_data(as_text=True)
    assert db.session.get(Comment, comment.id).version == 2


def test_reject_needs_a_reason_and_the_author_sees_it(client, moderator_client, make) -> None:
    thread = make.thread("post-1")
    member = make.user(email="writer@example.org")
    comment = make.comment(thread, member, "Buy my watches")
    response = decide(moderator_client, comment, "reject")
    assert "Choose a reason" in response.get_data(as_text=True)
    assert db.session.get(Comment, comment.id).state == State.PENDING
    decide(moderator_client, comment, "reject", reason=Reason.SPAM.value, note="Advert")
    assert db.session.get(Comment, comment.id).state == State.REJECTED
    assert "Buy my watches" not in client.get("/t/post-1").get_data(as_text=True)


def test_a_stale_decision_names_who_was_first(moderator_client, make) -> None:
    comment = make.comment(make.thread(), make.user())
    other = make.user(Role.ADMIN, name="Ada Admin")
    from board import lifecycle
    lifecycle.transition(comment, "approve", other, now=utcnow())
    db.session.commit()
    response = decide(moderator_client, comment, "reject", version=1, reason="spam")
    html = response.get_data(as_text=True)
    assert "Ada Admin already changed this comment" in html and "not applied" in html
    assert db.session.get(Comment, comment.id).state == State.APPROVED
