"""A new member's first comment, in a real browser, without JavaScript on Board's pages."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from board.extensions import db
from board.models import Comment
from board.vocabulary import State

pytestmark = pytest.mark.browser


def test_register_comment_and_see_it_pending(live_server, page, make) -> None:
    make.thread("post-1", "Our new plan")
    page.goto(f"{live_server.url}/auth/register?next=/t/post-1")
    page.get_by_label("E-mail address").fill("reader@example.org")
    page.get_by_label("Display name").fill("Reader")
    page.get_by_label("Password", exact=True).fill("a long password")
    page.get_by_label("Repeat the password").fill("a long password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/t/post-1")

    page.get_by_label("Your comment").fill("Looks **good** to me.")
    page.get_by_label("I agree that the organisation").check()
    page.get_by_role("button", name="Send for moderation").click()
    assert "awaits moderation" in page.locator(".flash").inner_text()

    page.goto(f"{live_server.url}/me/comments")
    assert "Awaiting moderation" in page.locator(".my-comments").inner_text()
    assert page.console_errors == []
    db.session.expire_all()
    comment = db.session.scalars(sa.select(Comment)).one()
    assert comment.state == State.PENDING and "<strong>good</strong>" in comment.body_html
