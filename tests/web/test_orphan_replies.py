"""A published reply whose parent is no longer public does not point at the parent: no parent id
in the API listing, the comment's public record, the thread page, the embed or the feed."""
from __future__ import annotations

import re

import pytest

from board import accounts, lifecycle
from board.comments.withdraw import withdraw_comment
from board.extensions import db
from board.models import Comment
from board.timeutil import utcnow
from board.vocabulary import Action, Role, State


def _hide(parent: Comment, how: str, reply: Comment,
          make) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """Take the reply's parent out of public view; the parent's id and text."""
    if how == "unpublished":
        lifecycle.transition(parent, Action.UNPUBLISH, None, now=utcnow(), reason="other")
    elif how == "withdrawn":
        withdraw_comment(parent.id, parent.author, utcnow())
    else:  # rejected: replies are only accepted to published comments, but imports may hold it
        rejected = make.comment(parent.thread, parent.author, "Never published", State.REJECTED)
        db.session.get(Comment, reply.id).parent_id = rejected.id
        db.session.commit()
        return rejected.id, "Never published"
    db.session.commit()
    return parent.id, "The parent text"


def _listing(client) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    data = client.get("/api/v1/threads/post-1/comments").get_json()
    return {c["id"]: c for c in data["comments"]}


@pytest.mark.parametrize("how", ["unpublished", "withdrawn", "rejected"])
def test_a_reply_to_a_comment_no_longer_public_shows_no_parent_id(app, client, make,
                                                                  how) -> None:
    thread = make.thread("post-1", "A post")
    parent = make.comment(thread, make.user(name="Parent Author"), "The parent text",
                          State.APPROVED)
    reply = make.comment(thread, make.user(name="Reply Author"), "The reply text",
                         State.APPROVED, parent=parent)
    # While the parent is public, the reply points at it (and the listing is now cached).
    assert _listing(client)[reply.id]["parent_id"] == parent.id

    hidden_id, hidden_text = _hide(parent, how, reply, make)
    listing = _listing(client)
    assert listing[reply.id]["parent_id"] is None and hidden_id not in listing

    record = client.get(f"/api/v1/comments/{reply.id}").get_json()
    assert record["parent_id"] is None
    staff = accounts.issue_token(make.user(Role.MODERATOR), utcnow(), 3600, "t")[0]
    record = client.get(f"/api/v1/comments/{reply.id}",
                        headers={"Authorization": f"Bearer {staff}"}).get_json()
    assert record["parent_id"] == hidden_id  # staff see the whole record

    for page in ("/t/post-1", "/embed/post-1"):
        html = client.get(page).get_data(as_text=True)
        assert "The reply text" in html and hidden_text not in html
        assert not re.search(rf"comment-{hidden_id}\b|reply_to={hidden_id}\b", html), page
        # The reply reads as a top-level comment: not inside a list of replies.
        assert "The reply text" not in "".join(re.findall(r'<ol class="replies">.*?</ol>',
                                                          html, re.S))
    feed = client.get("/t/post-1/feed.atom").get_data(as_text=True)
    assert "The reply text" in feed and f"#comment-{hidden_id}<" not in feed
    assert f"#comment-{hidden_id}\"" not in feed
