"""Readers report approved comments; past the threshold they are unpublished automatically."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from board import settings
from board.errors import Forbidden, NotFound, ValidationError
from board.extensions import db
from board.models import Comment, Report
from board.moderation import service
from board.reports import report_comment
from board.timeutil import utcnow
from board.vocabulary import Role, State

from ..builders import establish, post_form, sign_in

pytestmark = pytest.mark.usefixtures("app")


def set_threshold(value: int) -> None:
    settings.put_setting(settings.POLICY_KEY, {"report_threshold": value}, None)
    db.session.commit()


def test_a_reader_reports_from_the_thread_page(client, make) -> None:
    thread = make.thread("post-1")
    comment = make.comment(thread, make.user(), "Rude words here", State.APPROVED)
    make.user(email="reader@example.org")
    page = client.get("/t/post-1").get_data(as_text=True)
    assert f"/comments/{comment.id}/report" in page
    response = client.get(f"/comments/{comment.id}/report")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]

    sign_in(client, "reader@example.org")
    url = f"/comments/{comment.id}/report"
    response = post_form(client, url, {"reason": "", "note": ""})
    assert response.status_code == 400 and "Choose a reason" in response.get_data(as_text=True)
    response = post_form(client, url, {"reason": "disrespectful", "note": "Insults me"},
                         follow_redirects=True)
    assert "A moderator will look at this comment" in response.get_data(as_text=True)
    response = post_form(client, url, {"reason": "spam"}, follow_redirects=True)
    assert "already reported" in response.get_data(as_text=True)
    assert db.session.get(Comment, comment.id).report_count == 1
    assert db.session.get(Comment, comment.id).state == State.APPROVED


def test_no_report_button_on_own_comments_and_no_reporting_them(client, make) -> None:
    thread = make.thread("post-1")
    me = make.user(email="me@example.org")
    comment = make.comment(thread, me, "Mine", State.APPROVED)
    sign_in(client, "me@example.org")
    assert f"/comments/{comment.id}/report" not in client.get("/t/post-1").get_data(as_text=True)
    with pytest.raises(Forbidden):
        report_comment(comment.id, me, "spam", None, utcnow())


@pytest.mark.parametrize("state", [State.PENDING, State.REJECTED, State.UNPUBLISHED,
                                   State.WITHDRAWN])
def test_only_published_comments_can_be_reported(client, make, state) -> None:
    comment = make.comment(make.thread(), make.user(), state=state)
    make.user(email="reader@example.org")
    sign_in(client, "reader@example.org")
    assert client.get(f"/comments/{comment.id}/report").status_code == 404
    with pytest.raises(NotFound):
        report_comment(comment.id, make.user(), "spam", None, utcnow())


def test_a_report_needs_a_reason_from_the_list(make) -> None:
    comment = make.comment(make.thread(), make.user(), state=State.APPROVED)
    with pytest.raises(ValidationError):
        report_comment(comment.id, make.user(), "boring", None, utcnow())


def test_reported_queue_most_reported_first_and_dismissal(client, make) -> None:
    set_threshold(10)
    thread, author = make.thread(), make.user()
    once = make.comment(thread, author, "Reported once", State.APPROVED)
    twice = make.comment(thread, author, "Reported twice", State.APPROVED)
    make.comment(thread, author, "Never reported", State.APPROVED)
    report_comment(once.id, make.user(), "spam", None, utcnow())
    for _ in range(2):
        report_comment(twice.id, make.user(), "obscene", "note", utcnow())
    make.user(Role.MODERATOR, email="mod@example.org")
    sign_in(client, "mod@example.org")
    page = client.get("/moderation/?queue=reported").get_data(as_text=True)
    assert page.index("Reported twice") < page.index("Reported once")
    assert "Never reported" not in page and "2 open reports" in page
    detail = client.get(f"/moderation/comments/{twice.id}").get_data(as_text=True)
    assert "Obscene or profane" in detail and "open" in detail

    post_form(client, f"/moderation/comments/{twice.id}/reports/dismiss", {},
              page="/moderation/?queue=reported")
    assert db.session.get(Comment, twice.id).report_count == 0
    assert db.session.get(Comment, twice.id).state == State.APPROVED
    # A decision closes the reports too.
    post_form(client, f"/moderation/comments/{once.id}/decision",
              {"action": "unpublish", "version": str(once.version), "reason": "spam"},
              page="/moderation/?queue=reported")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)
                             .where(Report.resolved_at.is_(None))) == 0
    assert "Reported" not in client.get("/moderation/?queue=reported").get_data(as_text=True) \
        .split('<ol class="queue">')[1]


def test_past_the_threshold_the_comment_is_unpublished_automatically(make) -> None:
    set_threshold(2)
    comment = make.comment(make.thread(), make.user(), "Vile", State.APPROVED)
    report_comment(comment.id, establish(make.user()), "obscene", None, utcnow())
    assert db.session.get(Comment, comment.id).state == State.APPROVED
    report_comment(comment.id, establish(make.user()), "obscene", None, utcnow())
    comment = db.session.get(Comment, comment.id)
    # Hidden pending a moderator's look: no reason, since nobody decided one.
    assert comment.state == State.UNPUBLISHED and comment.reason is None
    last = service.history(comment)[-1]
    assert last.actor_id is None and last.action == "unpublish" and last.reason is None
    assert "2 established readers" in last.note and "Obscene or profane (2)" in last.note
    assert len(service.history(comment)) == comment.version
    # A third report finds nothing to report.
    with pytest.raises(NotFound):
        report_comment(comment.id, make.user(), "obscene", None, utcnow())
