"""A member's withdrawal that collides with a moderator's decision tells the member that the
comment changed, and nothing about who changed it (page and API)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from board import accounts
from board.comments.withdraw import withdraw_comment
from board.errors import InvalidTransition, StaleVersion
from board.extensions import db
from board.models import Comment, User
from board.moderation import service
from board.timeutil import utcnow
from board.vocabulary import Role, State

from ..builders import post_form, sign_in

CHANGED = "This comment changed meanwhile; reload to see where it stands."
MODERATOR = "Moderator Mallory Example"


@contextmanager
def moderator_decides_first(app: Flask, comment_id: int, moderator_id: int,
                            action: str) -> Iterator[None]:
    """Just before the withdrawal's UPDATE reaches the database, a moderator working in
    another worker (its own app context, session and connection) decides the comment."""
    fired = False

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        nonlocal fired
        if fired or not statement.lstrip().upper().startswith("UPDATE COMMENTS"):
            return
        fired = True
        with app.app_context():
            moderator = db.session.get(User, moderator_id)
            comment = db.session.get(Comment, comment_id)
            service.decide(service.Decision(comment_id, action, comment.version,
                                            "off_topic" if action != "approve" else None),
                           moderator, utcnow())
            db.session.remove()

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert fired, "the moderator's decision did not happen"


@pytest.fixture
def scene(app, make) -> dict[str, Any]:
    author = make.user(email="author@example.org")
    moderator = make.user(Role.MODERATOR, name=MODERATOR)
    pending = make.comment(make.thread("post-1"), author, "Second thoughts")
    return {"author": author, "moderator": moderator, "comment": pending}


def test_the_page_says_the_comment_changed_without_naming_the_moderator(app, client,
                                                                       scene) -> None:
    sign_in(client, "author@example.org")
    comment, moderator = scene["comment"], scene["moderator"]
    with moderator_decides_first(app, comment.id, moderator.id, "approve"):
        response = post_form(client, f"/me/comments/{comment.id}/withdraw", {},
                             page="/me/comments", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert CHANGED in text and MODERATOR not in text and "already changed" not in text
    assert db.session.get(Comment, comment.id).state == State.APPROVED


def test_the_api_says_the_comment_changed_without_naming_the_moderator(app, client,
                                                                      scene) -> None:
    comment, moderator = scene["comment"], scene["moderator"]
    token = accounts.issue_token(scene["author"], utcnow(), 3600, "test")[0]
    with moderator_decides_first(app, comment.id, moderator.id, "reject"):
        response = client.delete(f"/api/v1/comments/{comment.id}",
                                 headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["message"] == CHANGED and error["code"] == "stale_version"
    assert MODERATOR not in response.get_data(as_text=True)
    assert db.session.get(Comment, comment.id).state == State.REJECTED


def test_a_withdrawal_of_a_comment_decided_earlier_says_the_same(make, scene) -> None:
    comment, moderator = scene["comment"], scene["moderator"]
    service.decide(service.Decision(comment.id, "reject", 1, "spam"), moderator, utcnow())
    with pytest.raises(InvalidTransition) as refused:
        withdraw_comment(comment.id, scene["author"], utcnow())
    assert refused.value.message == CHANGED


def test_moderators_who_collide_still_learn_who_decided_first(app, make, scene) -> None:
    comment, first = scene["comment"], scene["moderator"]
    second = make.user(Role.MODERATOR, name="Second Moderator")
    with moderator_decides_first(app, comment.id, first.id, "approve"):
        with pytest.raises(StaleVersion) as lost:
            service.decide(service.Decision(comment.id, "reject", 1, "spam"), second,
                           utcnow())
    assert f"{MODERATOR} already changed this comment" in lost.value.message
