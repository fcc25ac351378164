"""A member's own page: every comment with where it stands and why."""
from __future__ import annotations

from markupsafe import escape

from board.vocabulary import Reason, State

from ..builders import sign_in


def test_each_state_is_shown_with_the_reason_in_polite_words(client, make) -> None:
    thread = make.thread(title="Parks plan")
    me, someone = make.user(email="me@example.org"), make.user()
    make.comment(thread, me, "Waiting one")
    make.comment(thread, me, "Published one", State.APPROVED)
    rejected = make.comment(thread, me, "Rejected one", State.REJECTED)
    make.comment(thread, me, "Withdrawn one", State.WITHDRAWN)
    make.comment(thread, someone, "Not mine")
    sign_in(client, "me@example.org")
    html = client.get("/me/comments").get_data(as_text=True)
    for words in ("Awaiting moderation", "Published", "Not published", "Withdrawn by you"):
        assert words in html
    assert "Not mine" not in html and "Parks plan" in html
    assert escape(Reason.OTHER.explanation) in html
    section = html.split(f'id="comment-{rejected.id}"')[1].split("</li>")[0]
    assert "Why:" in section and "Thank you for taking the time" in section


def test_unpublished_comments_show_their_reason(client, make) -> None:
    from board import lifecycle
    from board.extensions import db
    from board.timeutil import utcnow

    me = make.user(email="me@example.org")
    comment = make.comment(make.thread(), me, "Off topic remark", State.APPROVED)
    lifecycle.transition(comment, "unpublish", make.user("moderator"), now=utcnow(),
                         reason="off_topic")
    db.session.commit()
    sign_in(client, "me@example.org")
    html = client.get("/me/comments").get_data(as_text=True)
    assert "Removed from the page" in html and escape(Reason.OFF_TOPIC.explanation) in html


def test_signed_out_readers_are_sent_to_sign_in(client) -> None:
    response = client.get("/me/comments")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
