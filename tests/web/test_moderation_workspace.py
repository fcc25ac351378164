"""The moderation workspace: queues and filters, highlighting, bulk decisions, history, log."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from board import lifecycle
from board.extensions import db
from board.models import AuditEntry, Comment
from board.timeutil import utcnow
from board.vocabulary import Role, State

from ..builders import post_form, sign_in


@pytest.fixture
def mod(client, make):  # type: ignore[no-untyped-def]
    make.user(Role.MODERATOR, email="mod@example.org", name="Mo")
    sign_in(client, "mod@example.org")
    return client


def html(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_every_queue_lists_its_comments(mod, make) -> None:
    thread, author = make.thread(), make.user()
    make.comment(thread, author, "Waiting text")
    make.comment(thread, author, "Flagged: I will kill you")
    make.comment(thread, author, "Published text", State.APPROVED)
    make.comment(thread, author, "Rejected text", State.REJECTED)
    make.comment(thread, author, "Unpublished text", State.UNPUBLISHED)
    expect = {
        "pending": ["Waiting text", "Flagged:"],
        "flagged": ["Flagged:"],
        "approved": ["Published text"],
        "rejected": ["Rejected text"],
        "unpublished": ["Unpublished text"],
        "reported": [],
    }
    everything = ["Waiting text", "Flagged:", "Published text", "Rejected text",
                  "Unpublished text"]
    for queue, present in expect.items():
        page = html(mod, f"/moderation/?queue={queue}")
        for text in everything:
            assert (text in page) == (text in present), (queue, text)


def test_filters_by_thread_member_and_flag(mod, make) -> None:
    one, two = make.thread("post-one"), make.thread("post-two")
    alice, bob = make.user(name="Alice"), make.user(name="Bob")
    make.comment(one, alice, "Alice on one")
    make.comment(two, bob, "Bob on two")
    make.comment(two, bob, "Bob threat: I will kill you")
    page = html(mod, "/moderation/?thread=post-one")
    assert "Alice on one" in page and "Bob on two" not in page
    page = html(mod, f"/moderation/?member={bob.id}")
    assert "Alice on one" not in page and "Bob on two" in page
    page = html(mod, "/moderation/?queue=flagged&flag=threat")
    assert "Bob threat" in page and "Bob on two" not in page


def test_an_unknown_queue_is_a_clear_message_not_an_error(mod) -> None:
    response = mod.get("/moderation/?queue=nope", follow_redirects=True)
    assert response.status_code == 200 and "Unknown queue" in response.get_data(as_text=True)


def test_flagged_spans_are_highlighted_and_the_rest_escaped(mod, make) -> None:
    make.comment(make.thread(), make.user(), "<b>x</b> I will kill you <script>")
    page = html(mod, "/moderation/")
    assert '<mark class="flagged flag-' in page
    assert "I will kill you</mark>" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<script>" not in page


def test_item_shows_parent_standing_reports_and_age(mod, make) -> None:
    thread, author, other = make.thread(title="Parks"), make.user(name="Author"), make.user()
    parent = make.comment(thread, other, "The parent remark", State.APPROVED)
    make.comment(thread, author, "Earlier", State.APPROVED)
    make.comment(thread, author, "Bad one", State.REJECTED)
    make.comment(thread, author, "My reply", parent=parent, now=utcnow() - timedelta(hours=2))
    page = html(mod, "/moderation/")
    assert "In reply to #%d" % parent.id in page and "The parent remark" in page
    assert "Author: 1 approved, 1 rejected" in page
    assert "waiting 2 hours" in page and "Parks" in page


def test_pagination_follows_the_cursor(mod, make) -> None:
    thread, author = make.thread(), make.user()
    now = utcnow()
    for n in range(30):
        comment = make.comment(thread, author, f"Comment number {n:02d}.",
                               now=now - timedelta(minutes=60 - n))
        comment.risk, comment.flags = 0, []  # the burst screen would flag the later ones
    db.session.commit()
    first = html(mod, "/moderation/")
    assert "Comment number 00." in first and "Comment number 29." not in first
    next_url = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    next_url = next_url.replace("&amp;", "&")
    second = html(mod, next_url)
    assert "Comment number 29." in second and "Comment number 00." not in second


def test_bulk_decisions_apply_each_item_on_its_own(mod, make) -> None:
    thread, author = make.thread(), make.user()
    a, b, c = (make.comment(thread, author, f"Bulk {n}") for n in "abc")
    lifecycle.transition(c, "approve", make.user(Role.ADMIN, name="Ada"), now=utcnow())
    db.session.commit()
    response = post_form(mod, "/moderation/bulk", {
        "action": "reject", "reason": "spam", "note": "",
        "item": [f"{a.id}:1", f"{b.id}:1", f"{c.id}:1"]}, page="/moderation/",
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "2 comments rejected" in page
    assert f"Comment #{c.id}: Ada already changed this comment" in page
    states = [db.session.get(Comment, x.id).state for x in (a, b, c)]
    assert states == [State.REJECTED, State.REJECTED, State.APPROVED]


def test_bulk_reject_without_a_reason_changes_nothing(mod, make) -> None:
    comment = make.comment(make.thread(), make.user())
    response = post_form(mod, "/moderation/bulk", {"action": "reject", "item": f"{comment.id}:1"},
                         page="/moderation/", follow_redirects=True)
    assert "Choose a reason" in response.get_data(as_text=True)
    assert db.session.get(Comment, comment.id).state == State.PENDING


def test_unpublish_and_republish_from_the_comment_page(mod, make) -> None:
    comment = make.comment(make.thread(), make.user(), "Published", State.APPROVED)
    page = f"/moderation/comments/{comment.id}"
    post_form(mod, f"/moderation/comments/{comment.id}/decision",
              {"action": "unpublish", "version": str(comment.version), "reason": "off_topic",
               "next": page}, page=page)
    assert db.session.get(Comment, comment.id).state == State.UNPUBLISHED
    response = post_form(mod, f"/moderation/comments/{comment.id}/decision",
                         {"action": "republish", "version": str(comment.version),
                          "note": "Reconsidered", "next": page}, page=page)
    assert response.headers["Location"].endswith(page)
    assert db.session.get(Comment, comment.id).state == State.APPROVED
    history = html(mod, page)
    for words in ("submitted", "approved", "unpublished (approved → unpublished)", "Off topic",
                  "republished", "Reconsidered", "Mo"):
        assert words in history


def test_next_never_leaves_the_workspace(mod, make) -> None:
    comment = make.comment(make.thread(), make.user())
    response = post_form(mod, f"/moderation/comments/{comment.id}/decision",
                         {"action": "approve", "version": "1", "next": "https://evil.example/"},
                         page="/moderation/")
    assert response.headers["Location"].endswith("/moderation/")


def test_decisions_are_audit_logged_and_in_the_decision_log(mod, make) -> None:
    thread, author = make.thread(), make.user()
    one, two = make.comment(thread, author, "One"), make.comment(thread, author, "Two")
    for comment, action, reason in ((one, "approve", ""), (two, "reject", "spam")):
        post_form(mod, f"/moderation/comments/{comment.id}/decision",
                  {"action": action, "version": "1", "reason": reason}, page="/moderation/")
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"comment.approve", "comment.reject"} <= actions
    mod_id = db.session.scalar(sa.select(AuditEntry.actor_id).where(
        AuditEntry.action == "comment.approve"))
    page = html(mod, f"/moderation/log?actor={mod_id}&action=reject")
    assert f"#{two.id}" in page and f"#{one.id}</a>" not in page
    today = utcnow().date().isoformat()
    page = html(mod, f"/moderation/log?since={today}&until={today}")
    assert f"#{two.id}" in page and f"#{one.id}" in page
    page = html(mod, "/moderation/log?since=2000-01-01&until=2000-01-02")
    assert "No decisions match" in page
    page = html(mod, "/moderation/log?actor=system")
    assert f"#{one.id}</a>" not in page


def test_keyboard_help_and_script_are_on_the_page(mod) -> None:
    page = html(mod, "/moderation/")
    assert "Keyboard shortcuts" in page and "/static/moderation.js" in page
    assert "<script>" not in page and "style=" not in page
