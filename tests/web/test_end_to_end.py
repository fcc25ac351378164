"""The first-look story of the foundation, through the pages only."""
from __future__ import annotations

import re

from markupsafe import escape

from board.extensions import db
from board.models import Comment
from board.vocabulary import Reason

from ..builders import post_form, sign_in


def test_register_comment_approve_reject_and_see_why(app, make) -> None:
    make.thread("post-1", "Our new plan")
    make.user("moderator", email="mod@example.org", name="Mo")
    member, moderator = app.test_client(), app.test_client()

    assert post_form(member, "/auth/register", {
        "email": "reader@example.org", "display_name": "Reader", "password": "a long password",
        "confirm": "a long password"}).status_code == 302
    for body in ("I like this plan.", "You are all idiots and I know where you live."):
        post_form(member, "/t/post-1", {"body": body, "consent": "y"})
    assert "I like this plan." not in member.get("/t/post-1").get_data(as_text=True)

    sign_in(moderator, "mod@example.org")
    queue = moderator.get("/moderation/").get_data(as_text=True)
    ids = {body: int(n) for n, body in re.findall(r"<strong>#(\d+)</strong>.*?<pre class=\"raw\">(.*?)</pre>",
                                                  queue, re.S)}
    assert len(ids) == 2
    good = next(i for body, i in ids.items() if "like" in body)
    bad = next(i for body, i in ids.items() if "idiots" in body)
    post_form(moderator, f"/moderation/comments/{good}/decision",
              {"action": "approve", "version": "1"}, page="/moderation/")
    post_form(moderator, f"/moderation/comments/{bad}/decision",
              {"action": "reject", "version": "1", "reason": "threatening"}, page="/moderation/")

    page = member.get("/t/post-1").get_data(as_text=True)
    assert "I like this plan." in page and "idiots" not in page
    mine = member.get("/me/comments").get_data(as_text=True)
    assert escape(Reason.THREATENING.explanation) in mine and "Published" in mine
    assert db.session.get(Comment, bad).reason == Reason.THREATENING
