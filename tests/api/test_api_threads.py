"""API: threads, comments, visibility, pagination and ETags."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from board import lifecycle
from board.extensions import db
from board.models import Comment
from board.timeutil import utcnow
from board.vocabulary import AccountStatus, Reason, Role, State

from .conftest import assert_error


@pytest.fixture
def staff_token(make, token_for):  # type: ignore[no-untyped-def]
    return token_for(make.user(Role.MODERATOR))


def test_staff_create_and_close_threads(api, make, staff_token, token_for) -> None:
    body = {"key": "post-9", "title": "Ninth post", "url": "https://example.org/9"}
    response = api.post("/threads", body, token=staff_token)
    assert response.status_code == 201
    assert response.get_json() == {**body, "is_open": True, "comment_count": 0}
    assert_error(api.post("/threads", body, token=staff_token), 409, "thread_exists")
    assert_error(api.post("/threads", body, token=token_for(make.user())), 403)
    assert_error(api.post("/threads", body), 401)
    assert_error(api.post("/threads", {**body, "key": "bad key"}, token=staff_token), 400,
                 "invalid_key")
    assert_error(api.post("/threads", {**body, "key": "p2", "url": "javascript:x"},
                          token=staff_token), 400, "invalid_url")

    closed = api.patch("/threads/post-9", {"is_open": False}, token=staff_token)
    assert closed.status_code == 200 and closed.get_json()["is_open"] is False
    assert_error(api.patch("/threads/post-9", {"is_open": "no"}, token=staff_token), 400,
                 "invalid_type")
    assert_error(api.patch("/threads/post-9", {}, token=staff_token), 400)
    assert_error(api.patch("/threads/nope", {"is_open": True}, token=staff_token), 404)
    member = token_for(make.user())
    assert_error(api.patch("/threads/post-9", {"is_open": True}, token=member), 403)
    assert_error(api.post("/threads/post-9/comments", {"body": "hi", "consent": True},
                          token=member), 409, "thread_closed")


def test_get_thread_counts_approved_comments(api, make) -> None:
    thread, author = make.thread("post-1", "Title"), make.user()
    make.comment(thread, author, "one", State.APPROVED)
    make.comment(thread, author, "two", State.PENDING)
    response = api.get("/threads/post-1")
    assert response.get_json() == {"key": "post-1", "title": "Title", "is_open": True,
                                   "url": "https://example.org/post", "comment_count": 1}
    assert_error(api.get("/threads/unknown"), 404, "thread_not_found")


def test_submit_a_comment(api, make, token_for) -> None:
    thread, member = make.thread("post-1"), make.user()
    token = token_for(member)
    response = api.post("/threads/post-1/comments", {"body": "Hello *there*", "consent": True},
                        token=token)
    assert response.status_code == 202
    data = response.get_json()
    assert data["state"] == "pending"
    comment = db.session.get(Comment, data["id"])
    assert comment.author_id == member.id and comment.thread_id == thread.id
    assert comment.body_html == "<p>Hello <em>there</em></p>\n" or "<em>there</em>" in comment.body_html


def statement_shapes(statements: list[str]) -> list[tuple[str, str]]:
    """(verb, first table named) of each SQL statement."""
    return [(sql.split()[0], re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", sql).group(1))
            for sql in statements]


def test_a_submission_is_five_statements_and_no_reload(api, make, token_for, statements) -> None:
    """The hot path: token and member, thread, the author's recent comments, two INSERTs."""
    make.thread("post-1")
    token = token_for(make.user())
    body = {"body": "A first thought.", "consent": True}
    # The first call reads the policy and word lists (kept a few seconds) and notes the token's use.
    assert api.post("/threads/post-1/comments", body, token=token).status_code == 202
    statements.clear()
    body = {"body": "A second thought.", "consent": True}
    assert api.post("/threads/post-1/comments", body, token=token).status_code == 202
    assert statement_shapes(statements) == [
        ("SELECT", "api_tokens"), ("SELECT", "threads"), ("SELECT", "comments"),
        ("INSERT", "comments"), ("INSERT", "comment_events"),
    ]


@pytest.mark.parametrize("body, status, code", [
    ({"consent": True}, 400, "body_required"),
    ({"body": "   ", "consent": True}, 400, "body_required"),
    ({"body": None, "consent": True}, 400, "body_required"),
    ({"body": "x" * 20_001, "consent": True}, 400, "body_too_long"),
    ({"body": "hi"}, 400, "consent_required"),
    ({"body": "hi", "consent": False}, 400, "consent_required"),
    ({"body": "hi", "consent": "yes"}, 400, "invalid_type"),
    ({"body": 12, "consent": True}, 400, "invalid_type"),
    ({"body": "hi", "consent": True, "parent_id": 999999}, 400, "parent_not_found"),
    ({"body": "hi", "consent": True, "parent_id": "1"}, 400, "invalid_type"),
])
def test_submission_errors(api, make, token_for, body, status, code) -> None:
    make.thread("post-1")
    assert_error(api.post("/threads/post-1/comments", body, token=token_for(make.user())),
                 status, code)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_submission_needs_an_active_member_and_a_thread(api, make, token_for) -> None:
    make.thread("post-1")
    member = make.user()
    token = token_for(member)
    assert_error(api.post("/threads/nope/comments", {"body": "hi", "consent": True},
                          token=token), 404, "thread_not_found")
    member.status = AccountStatus.SUSPENDED
    db.session.commit()
    assert_error(api.post("/threads/post-1/comments", {"body": "hi", "consent": True},
                          token=token), 403, "account_suspended")


def test_listing_is_approved_only_oldest_first_and_paginated(api, make) -> None:
    thread, author = make.thread("post-1"), make.user(name="Ann")
    start = utcnow() - timedelta(hours=1)
    approved = [make.comment(thread, author, f"comment {i}", State.APPROVED,
                             now=start + timedelta(minutes=i)) for i in range(5)]
    make.comment(thread, author, "hidden", State.PENDING)
    page = api.get("/threads/post-1/comments?limit=2").get_json()
    assert [c["id"] for c in page["comments"]] == [approved[0].id, approved[1].id]
    assert page["comments"][0]["author"] == {"display_name": "Ann"}
    assert set(page["comments"][0]) == {"id", "parent_id", "author", "body_html", "created_at"}
    seen = [c["id"] for c in page["comments"]]
    while page["next_cursor"]:
        page = api.get(f"/threads/post-1/comments?limit=2&cursor={page['next_cursor']}").get_json()
        seen += [c["id"] for c in page["comments"]]
    assert seen == [c.id for c in approved]
    assert_error(api.get("/threads/post-1/comments?cursor=garbage"), 400, "invalid_cursor")
    for bad in ("0", "501", "-1", "ten"):
        assert_error(api.get(f"/threads/post-1/comments?limit={bad}"), 400, "invalid_limit")


def test_listing_answers_304_until_it_changes(api, make) -> None:
    thread, author = make.thread("post-1"), make.user()
    make.comment(thread, author, "first", State.APPROVED)
    first = api.get("/threads/post-1/comments")
    etag = first.headers["ETag"]
    again = api.get("/threads/post-1/comments", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    make.comment(thread, author, "second", State.APPROVED)
    changed = api.get("/threads/post-1/comments", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_who_sees_a_comment(api, make, token_for) -> None:
    thread, author, other = make.thread(), make.user(), make.user()
    comment = make.comment(thread, author, "mine")
    assert_error(api.get(f"/comments/{comment.id}"), 404)
    assert_error(api.get(f"/comments/{comment.id}", token=token_for(other)), 404)
    mine = api.get(f"/comments/{comment.id}", token=token_for(author)).get_json()
    assert mine["state"] == "pending" and "reason" not in mine
    staff = api.get(f"/comments/{comment.id}", token=token_for(make.user(Role.MODERATOR)))
    assert staff.get_json()["version"] == 1
    lifecycle.transition(comment, "reject", None, now=utcnow(), reason="defamatory")
    db.session.commit()
    mine = api.get(f"/comments/{comment.id}", token=token_for(author)).get_json()
    assert mine["state"] == "rejected"
    assert mine["reason"]["code"] == "defamatory"
    assert mine["reason"]["explanation"] == Reason.DEFAMATORY.explanation
    approved = make.comment(thread, author, "public", State.APPROVED)
    public = api.get(f"/comments/{approved.id}").get_json()
    assert public["state"] == "approved" and "version" not in public
    assert_error(api.get("/comments/99999999999"), 404)
