"""Suspension and reinstatement of members, and authors withdrawing their own comments."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from board import members
from board.comments.withdraw import withdraw_comment
from board.errors import Forbidden, InvalidTransition, NotFound, ValidationError
from board.extensions import db
from board.models import AuditEntry, Comment, User
from board.timeutil import utcnow
from board.vocabulary import AccountStatus, Role, State

from ..builders import post_form, sign_in

pytestmark = pytest.mark.usefixtures("app")


def test_a_moderator_suspends_until_a_date_and_the_member_is_told_why(client, make) -> None:
    thread = make.thread("post-1")
    member = make.user(email="member@example.org", name="Sam")
    make.user(Role.MODERATOR, email="mod@example.org")
    sign_in(client, "mod@example.org")
    page = f"/moderation/members/{member.id}"
    assert "Active: may comment" in client.get(page).get_data(as_text=True)
    response = post_form(client, f"{page}/suspend", {"reason": ""}, page=page,
                         follow_redirects=True)
    assert "Give the reason" in response.get_data(as_text=True)
    until = (utcnow() + timedelta(days=10)).date()
    response = post_form(client, f"{page}/suspend",
                         {"reason": "Repeated insults", "until": until.isoformat()}, page=page,
                         follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "The member is suspended until" in text and "Repeated insults" in text
    user = db.session.get(User, member.id)
    assert user.status == AccountStatus.SUSPENDED and user.suspended_until.date() == until
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "member.suspend"))
    assert entry.target == f"user:{member.id}" and "Repeated" not in str(entry.detail)

    client.post("/auth/logout", data={})
    other = client.application.test_client()
    sign_in(other, "member@example.org")
    html = other.get("/t/post-1").get_data(as_text=True)
    assert "Your account is suspended" in html and "Repeated insults" in html
    response = post_form(other, "/t/post-1", {"body": "Let me in", "consent": "y"})
    assert response.status_code == 403 and "Repeated insults" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)
                             .where(Comment.thread_id == thread.id)) == 0

    response = post_form(client, f"{page}/reinstate", {"reason": "Apologised"}, page=page,
                         follow_redirects=True)
    assert "reinstated" in response.get_data(as_text=True)
    assert db.session.get(User, member.id).status == AccountStatus.ACTIVE
    assert post_form(other, "/t/post-1", {"body": "Back again", "consent": "y"}).status_code == 302


def test_an_indefinite_suspension_and_the_rules_of_who_may_suspend(make) -> None:
    now = utcnow()
    member, mod, admin = make.user(), make.user(Role.MODERATOR), make.user(Role.ADMIN)
    other_mod = make.user(Role.MODERATOR)
    user = members.suspend(member.id, mod, "Spam", None, now)
    assert user.is_suspended(now + timedelta(days=3650))
    with pytest.raises(ValidationError):
        members.suspend(member.id, mod, "  ", None, now)
    with pytest.raises(ValidationError):
        members.suspend(member.id, mod, "Past", now - timedelta(days=1), now)
    with pytest.raises(Forbidden):
        members.suspend(admin.id, mod, "No", None, now)
    with pytest.raises(Forbidden):
        members.suspend(other_mod.id, mod, "No", None, now)
    with pytest.raises(Forbidden):
        members.suspend(mod.id, member, "No", None, now)
    with pytest.raises(Forbidden):
        members.suspend(admin.id, admin, "Myself", None, now)
    with pytest.raises(NotFound):
        members.suspend(999_999, mod, "Nobody", None, now)
    assert members.suspend(other_mod.id, admin, "Admins may", None, now).status == "suspended"
    assert members.reinstate(member.id, mod, now).status == AccountStatus.ACTIVE


def test_a_dated_suspension_lapses_by_itself(make) -> None:
    now = utcnow()
    member = members.suspend(make.user().id, make.user(Role.MODERATOR), "Cool off",
                             now + timedelta(hours=1), now)
    assert member.is_suspended(now) and not member.is_suspended(now + timedelta(hours=2))


def test_standing_counts_suspensions(make) -> None:
    now = utcnow()
    member, mod = make.user(), make.user(Role.MODERATOR)
    make.comment(make.thread(), member, "ok", State.APPROVED)
    members.suspend(member.id, mod, "One", None, now)
    members.reinstate(member.id, mod, now)
    members.suspend(member.id, mod, "Two", None, now)
    standing = members.standings([db.session.get(User, member.id)], now)[member.id]
    assert standing.suspensions == 2 and standing.suspended and standing.counts["approved"] == 1


@pytest.mark.parametrize("state", [State.PENDING, State.APPROVED])
def test_authors_withdraw_from_my_comments(client, make, state) -> None:
    me = make.user(email="me@example.org")
    comment = make.comment(make.thread("post-1"), me, "Changed my mind", state)
    sign_in(client, "me@example.org")
    response = post_form(client, f"/me/comments/{comment.id}/withdraw", {}, page="/me/comments",
                         follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "Your comment is withdrawn" in text and "Withdrawn by you" in text
    assert db.session.get(Comment, comment.id).state == State.WITHDRAWN
    assert "Changed my mind" not in client.get("/t/post-1").get_data(as_text=True)


@pytest.mark.parametrize("state", [State.REJECTED, State.UNPUBLISHED, State.WITHDRAWN])
def test_withdrawal_is_refused_in_other_states(make, state) -> None:
    me = make.user()
    comment = make.comment(make.thread(), me, state=state)
    with pytest.raises(InvalidTransition):
        withdraw_comment(comment.id, me, utcnow())


def test_only_the_author_can_withdraw(client, make) -> None:
    comment = make.comment(make.thread(), make.user(), "Not yours")
    intruder = make.user(email="intruder@example.org")
    with pytest.raises(NotFound):
        withdraw_comment(comment.id, intruder, utcnow())
    with pytest.raises(NotFound):
        withdraw_comment(comment.id, make.user(Role.ADMIN), utcnow())
    sign_in(client, "intruder@example.org")
    response = post_form(client, f"/me/comments/{comment.id}/withdraw", {}, page="/me/comments",
                         follow_redirects=True)
    assert "You have no such comment" in response.get_data(as_text=True)
    assert db.session.get(Comment, comment.id).state == State.PENDING


def test_my_comments_offers_withdraw_only_where_possible(client, make) -> None:
    me = make.user(email="me@example.org")
    thread = make.thread()
    pending = make.comment(thread, me, "p")
    rejected = make.comment(thread, me, "r", State.REJECTED)
    sign_in(client, "me@example.org")
    html = client.get("/me/comments").get_data(as_text=True)
    assert f"/me/comments/{pending.id}/withdraw" in html
    assert f"/me/comments/{rejected.id}/withdraw" not in html
