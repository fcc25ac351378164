"""The thread page: approved comments, threaded replies, and the comment form."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from board.extensions import db
from board.models import Comment, CommentEvent
from board.timeutil import utcnow
from board.vocabulary import AccountStatus, Action, State

from ..builders import post_form, sign_in


def comment_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) or 0


def test_readers_see_only_approved_comments_with_replies_nested(client, make) -> None:
    thread, alice, bob = make.thread("post-1", "Parks plan"), make.user(name="Alice"), make.user(name="Bob")
    shown = make.comment(thread, alice, "Visible *words*", State.APPROVED)
    make.comment(thread, bob, "Nested reply", State.APPROVED, parent=shown)
    for state in (State.PENDING, State.REJECTED, State.UNPUBLISHED, State.WITHDRAWN):
        make.comment(thread, bob, f"Hidden {state.value}", state)
    html = client.get("/t/post-1").get_data(as_text=True)
    assert "Parks plan" in html and "<em>words</em>" in html and "2 comments" in html
    assert "Nested reply" in html and "Hidden" not in html
    reply_list = html.split(f'id="comment-{shown.id}"')[1]
    assert '<ol class="replies">' in reply_list and "Nested reply" in reply_list


def test_unknown_thread_is_404(client) -> None:
    response = client.get("/t/nope")
    assert response.status_code == 404 and "There is no comment thread here" in response.get_data(as_text=True)


def test_signed_out_readers_are_invited_to_sign_in(client, make) -> None:
    make.thread("post-1")
    html = client.get("/t/post-1").get_data(as_text=True)
    assert "Sign in</a> or" in html and "<textarea" not in html
    response = post_form(client, "/t/post-1", {"body": "hi", "consent": "y"}, page="/auth/login")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert comment_count() == 0


def test_a_member_submits_a_comment_that_awaits_moderation(client, make) -> None:
    thread = make.thread("post-1")
    member = make.user(email="m@example.org")
    sign_in(client, "m@example.org")
    page = client.get("/t/post-1").get_data(as_text=True)
    assert "Comment policy" in page and 'name="consent"' in page
    response = post_form(client, "/t/post-1", {"body": "I support the plan.", "consent": "y"},
                         follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "awaits moderation" in html
    assert "I support the plan." not in html.split("awaits moderation")[1]  # not public yet
    comment = db.session.scalars(sa.select(Comment)).one()
    assert (comment.state, comment.version, comment.author_id, comment.thread_id) == (
        State.PENDING, 1, member.id, thread.id)
    assert comment.consent_at is not None and comment.terms_version == "2026-01"
    event = db.session.scalars(sa.select(CommentEvent)).one()
    assert (event.action, event.to_state, event.actor_id) == (Action.SUBMIT, State.PENDING, member.id)


def test_consent_is_required(client, make) -> None:
    make.thread("post-1")
    make.user(email="m@example.org")
    sign_in(client, "m@example.org")
    response = post_form(client, "/t/post-1", {"body": "No consent given."})
    assert response.status_code == 400
    assert "agree that the organisation may publish" in response.get_data(as_text=True)
    assert "No consent given." in response.get_data(as_text=True)  # the text is kept in the form
    assert comment_count() == 0


def test_empty_and_too_long_bodies_are_refused(app, client, make) -> None:
    make.thread("post-1")
    make.user(email="m@example.org")
    sign_in(client, "m@example.org")
    response = post_form(client, "/t/post-1", {"body": "   \n ", "consent": "y"})
    assert response.status_code == 400 and "write something" in response.get_data(as_text=True)
    app.config["COMMENT_MAX_LENGTH"] = 50
    response = post_form(client, "/t/post-1", {"body": "x" * 51, "consent": "y"})
    assert response.status_code == 400 and "at most 50" in response.get_data(as_text=True)
    assert comment_count() == 0


def test_hostile_html_is_never_executable(client, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    make.comment(thread, author, '<script>alert(1)</script> [x](javascript:alert(1)) '
                 '<img src=x onerror=alert(1)>', State.APPROVED)
    html = client.get("/t/post-1").get_data(as_text=True)
    assert "<script>alert" not in html and "<img" not in html and 'href="javascript' not in html


def test_replies_go_under_their_parent(client, make) -> None:
    thread, author = make.thread("post-1"), make.user(email="m@example.org")
    parent = make.comment(thread, make.user(), "Parent", State.APPROVED)
    sign_in(client, "m@example.org")
    page = client.get(f"/t/post-1?reply_to={parent.id}").get_data(as_text=True)
    assert "Replying to" in page and f'value="{parent.id}"' in page
    post_form(client, "/t/post-1", {"body": "A reply", "consent": "y", "parent_id": str(parent.id)},
              page=f"/t/post-1?reply_to={parent.id}")
    reply = db.session.scalars(sa.select(Comment).where(Comment.author_id == author.id)).one()
    assert reply.parent_id == parent.id


def test_replies_to_unpublished_comments_are_refused(client, make) -> None:
    thread = make.thread("post-1")
    hidden = make.comment(thread, make.user(), "Hidden", State.PENDING)
    make.user(email="m@example.org")
    sign_in(client, "m@example.org")
    response = post_form(client, "/t/post-1", {"body": "Reply", "consent": "y",
                                               "parent_id": str(hidden.id)})
    assert response.status_code == 400
    assert "not available" in response.get_data(as_text=True)


def test_closed_threads_take_no_comments(client, make) -> None:
    make.thread("post-1", is_open=False)
    make.user(email="m@example.org")
    sign_in(client, "m@example.org")
    assert "closed to new comments" in client.get("/t/post-1").get_data(as_text=True)
    response = post_form(client, "/t/post-1", {"body": "Late", "consent": "y"}, page="/auth/login")
    assert response.status_code == 409 and comment_count() == 0


def test_suspended_members_are_told_why(client, make) -> None:
    make.thread("post-1")
    member = make.user(email="m@example.org")
    member.status = AccountStatus.SUSPENDED
    member.suspended_until = utcnow() + timedelta(days=2)
    member.suspension_reason = "Repeated personal attacks."
    db.session.commit()
    sign_in(client, "m@example.org")
    page = client.get("/t/post-1").get_data(as_text=True)
    assert "Your account is suspended until" in page and "Repeated personal attacks." in page
    response = post_form(client, "/t/post-1", {"body": "Hello", "consent": "y"}, page="/auth/login")
    assert response.status_code == 403 and comment_count() == 0
    # A lapsed suspension no longer blocks.
    member.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    post_form(client, "/t/post-1", {"body": "Hello again", "consent": "y"})
    assert comment_count() == 1
