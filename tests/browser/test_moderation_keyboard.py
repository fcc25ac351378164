"""A moderator clears a queue of three comments with the keyboard only, in Chromium."""
from __future__ import annotations

from datetime import timedelta

import pytest

from board.extensions import db
from board.models import Comment
from board.timeutil import utcnow
from board.vocabulary import Role, State

pytestmark = pytest.mark.browser


def test_a_moderator_clears_the_queue_with_the_keyboard(live_server, page, make) -> None:
    thread, author = make.thread("post-1", "Our new plan"), make.user(name="Writer")
    now = utcnow()
    first = make.comment(thread, author, "First: sounds good.", now=now - timedelta(hours=3))
    second = make.comment(thread, author, "Second: buy cheap watches.",
                          now=now - timedelta(hours=2))
    third = make.comment(thread, author, "Third: thanks for posting.", now=now - timedelta(hours=1))
    for comment in (first, second, third):
        comment.risk, comment.flags = 0, []
    db.session.commit()
    make.user(Role.MODERATOR, email="mod@example.org", name="Mo")

    page.goto(f"{live_server.url}/auth/login?next=/moderation/")
    page.get_by_label("E-mail address").fill("mod@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("/moderation/"))
    items = page.locator(".queue-item")
    assert items.count() == 3
    assert "current" in (items.nth(0).get_attribute("class") or "")

    page.keyboard.press("?")
    assert page.locator("#shortcuts").get_attribute("open") is not None
    page.keyboard.press("?")

    # Approve the first (the current item).
    with page.expect_navigation():
        page.keyboard.press("a")
    assert f"Comment #{first.id} is now approved" in page.locator(".flash").inner_text()
    assert page.locator(".queue-item").count() == 2

    # Reject the second: r focuses the reason, typing picks it, Enter sends.
    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.name") == "reason"
    page.keyboard.type("sp")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"Comment #{second.id} is now rejected" in page.locator(".flash").inner_text()

    # The third through a bulk decision: select with x, go to the bulk form with b.
    page.keyboard.press("x")
    assert page.locator(".queue-item input.select-box").is_checked()
    page.keyboard.press("b")
    assert page.evaluate("document.activeElement.id") == "bulk-action"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "1 comment approved" in page.locator(".flash").inner_text()
    assert "This queue is empty" in page.locator("main").inner_text()

    assert page.console_errors == []
    db.session.expire_all()
    states = [db.session.get(Comment, c.id).state for c in (first, second, third)]
    assert states == [State.APPROVED, State.REJECTED, State.APPROVED]
    assert db.session.get(Comment, second.id).reason == "spam"
