"""Reports cannot be used to take comments down: only established members count toward hiding
a comment automatically, suspended members cannot report, and the author of a hidden comment
is told it is under review, never a reason that nobody decided."""
from __future__ import annotations

from datetime import timedelta

import pytest

from board import accounts, members, settings
from board.extensions import db
from board.models import Comment, Report
from board.reports import report_comment
from board.timeutil import utcnow
from board.vocabulary import Role, State

from ..builders import establish, post_form, sign_in

THRESHOLD = 3


@pytest.fixture
def policy(app) -> None:
    settings.put_setting(settings.POLICY_KEY, {"report_threshold": THRESHOLD}, None)
    db.session.commit()


@pytest.fixture
def target(make, policy) -> Comment:
    """A published comment by author@example.org, in thread post-1."""
    author = make.user(email="author@example.org")
    return make.comment(make.thread("post-1"), author, "An opinion someone dislikes",
                        State.APPROVED)


def _report_from_page(app, email: str, comment_id: int, reason: str = "spam") -> int:
    browser = app.test_client()
    sign_in(browser, email)
    return post_form(browser, f"/comments/{comment_id}/report", {"reason": reason}).status_code


def _state(comment_id: int) -> State:
    return db.session.get(Comment, comment_id).state


def test_three_new_accounts_cannot_unpublish_a_comment(app, client, make, target) -> None:
    for n in range(THRESHOLD + 2):
        make.user(email=f"fresh{n}@example.org")
        assert _report_from_page(app, f"fresh{n}@example.org", target.id) == 302
    comment = db.session.get(Comment, target.id)
    assert comment.state == State.APPROVED and comment.reason is None
    # Their reports are still recorded and put the comment in the reported queue.
    assert comment.report_count == THRESHOLD + 2
    make.user(Role.MODERATOR, email="mod@example.org")
    sign_in(client, "mod@example.org")
    queue = client.get("/moderation/?queue=reported").get_data(as_text=True)
    assert "An opinion someone dislikes" in queue and f"{THRESHOLD + 2} open reports" in queue
    # And the author still reads that it is published.
    sign_in(author := app.test_client(), "author@example.org")
    mine = author.get("/me/comments").get_data(as_text=True)
    assert "Published" in mine and "Spam" not in mine


def test_established_reporters_hide_it_and_the_author_is_told_it_is_under_review(
        app, client, make, target, api_token) -> None:
    for n in range(THRESHOLD):
        establish(make.user(email=f"old{n}@example.org"))
        assert _report_from_page(app, f"old{n}@example.org", target.id) == 302
    comment = db.session.get(Comment, target.id)
    assert comment.state == State.UNPUBLISHED and comment.reason is None
    assert "An opinion someone dislikes" not in client.get("/t/post-1").get_data(as_text=True)

    sign_in(client, "author@example.org")
    mine = client.get("/me/comments").get_data(as_text=True)
    assert "hidden while our moderators review reports about it" in mine
    assert "Hidden for review" in mine
    for decided in ("Why:", "Spam", "advertising", "could not publish"):
        assert decided not in mine, decided

    author = db.session.get(Comment, target.id).author
    response = client.get(f"/api/v1/comments/{target.id}",
                          headers={"Authorization": f"Bearer {api_token(author)}"})
    data = response.get_json()
    assert response.status_code == 200 and data["state"] == "unpublished", data
    assert data["under_review"] is True and "review reports" in data["notice"]
    assert "reason" not in data and "spam" not in response.get_data(as_text=True).lower()

    # Moderators still see the reasons the readers gave: in the queue, the API and the history.
    moderator = make.user(Role.MODERATOR, email="mod@example.org")
    staff = app.test_client()
    sign_in(staff, "mod@example.org")
    queue = staff.get("/moderation/?queue=unpublished").get_data(as_text=True)
    assert f"Readers' reasons: Spam or advertising ({THRESHOLD})" in queue
    assert "hidden automatically, waiting for your look" in queue
    detail = staff.get(f"/moderation/comments/{target.id}").get_data(as_text=True)
    assert detail.count("Spam or advertising") >= THRESHOLD
    assert f"{THRESHOLD} established readers reported" in detail
    items = client.get("/api/v1/moderation/queue?queue=unpublished",
                       headers={"Authorization": f"Bearer {api_token(moderator)}"}
                       ).get_json()["items"]
    assert items[0]["report_reasons"] == [{"code": "spam", "count": THRESHOLD}]
    assert items[0]["reason"] is None


def test_a_moderators_decision_after_review_gives_the_author_a_reason(make, target) -> None:
    for _ in range(THRESHOLD):
        report_comment(target.id, establish(make.user()), "off_topic", None, utcnow())
    from board.moderation import service

    mod = make.user(Role.MODERATOR)
    comment = db.session.get(Comment, target.id)
    comment = service.decide(service.Decision(comment.id, "republish", comment.version), mod,
                             utcnow())
    assert comment.state == State.APPROVED and comment.report_count == 0
    comment = service.decide(service.Decision(comment.id, "unpublish", comment.version,
                                              "off_topic"), mod, utcnow())
    assert comment.state == State.UNPUBLISHED and comment.reason == "off_topic"


@pytest.mark.parametrize("last_reporter", ["established", "too_new", "no_approved_comment"])
def test_each_condition_of_an_established_reporter_is_needed(make, target,
                                                             last_reporter) -> None:
    for _ in range(THRESHOLD - 1):
        report_comment(target.id, establish(make.user()), "spam", None, utcnow())
    last = make.user()
    if last_reporter == "no_approved_comment":
        last.created_at = utcnow() - timedelta(days=30)
        db.session.commit()
    else:
        establish(last, days=30 if last_reporter == "established" else 2)
    report_comment(target.id, last, "spam", None, utcnow())
    expected = State.UNPUBLISHED if last_reporter == "established" else State.APPROVED
    assert _state(target.id) == expected
    assert db.session.get(Comment, target.id).report_count == THRESHOLD


def test_the_reporter_age_is_the_admins_to_set(app, make, target) -> None:
    admin = make.user(Role.ADMIN, email="admin@example.org")
    browser = app.test_client()
    sign_in(browser, admin.email)
    page = browser.get("/admin/policy").get_data(as_text=True)
    assert 'name="reporter_min_age_days"' in page and 'value="7"' in page
    response = post_form(browser, "/admin/policy", {
        "premoderate_all": "y", "auto_approve_after": "0", "report_threshold": str(THRESHOLD),
        "reporter_min_age_days": "1"}, follow_redirects=True)
    assert "policy is saved" in response.get_data(as_text=True)
    assert settings.policy().reporter_min_age_days == 1
    for _ in range(THRESHOLD):  # two days old: established under the new policy
        report_comment(target.id, establish(make.user(), days=2), "spam", None, utcnow())
    assert _state(target.id) == State.UNPUBLISHED
    response = post_form(browser, "/admin/policy", {
        "premoderate_all": "y", "auto_approve_after": "0", "report_threshold": "3",
        "reporter_min_age_days": "-1"})
    assert response.status_code == 200 and settings.policy().reporter_min_age_days == 1


def test_suspended_members_cannot_report(app, client, make, target, api_token) -> None:
    member = establish(make.user(email="suspended@example.org"))
    mod = make.user(Role.MODERATOR)
    sign_in(client, "suspended@example.org")
    members.suspend(member.id, mod, "Abusive reports", None, utcnow())
    page = client.get(f"/comments/{target.id}/report")
    text = page.get_data(as_text=True)
    assert page.status_code == 403 and "suspended, so you cannot report" in text
    assert 'name="reason"' not in text
    response = client.post(f"/api/v1/comments/{target.id}/reports", json={"reason": "spam"},
                           headers={"Authorization": f"Bearer {api_token(member)}"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "account_suspended"
    assert db.session.query(Report).count() == 0


def test_open_reports_of_members_suspended_since_do_not_count(make, target) -> None:
    mod = make.user(Role.MODERATOR)
    early = establish(make.user())
    report_comment(target.id, early, "spam", None, utcnow())
    members.suspend(early.id, mod, "Coordinated reporting", None, utcnow())
    for _ in range(THRESHOLD - 1):
        report_comment(target.id, establish(make.user()), "spam", None, utcnow())
    assert _state(target.id) == State.APPROVED  # 2 established of 3 reports
    # A suspension that has lapsed counts again.
    members.reinstate(early.id, mod, utcnow())
    report_comment(target.id, establish(make.user()), "spam", None, utcnow())
    assert _state(target.id) == State.UNPUBLISHED


@pytest.fixture
def api_token(app):  # type: ignore[no-untyped-def]
    def issue(user):  # type: ignore[no-untyped-def]
        return accounts.issue_token(user, utcnow(), 3600, "test")[0]
    return issue
