"""The moderation service as the API uses it: queues, cursors, decisions, bulk, highlighting."""
from __future__ import annotations

from datetime import timedelta

import pytest

from board.errors import NotFound, StaleVersion, ValidationError
from board.extensions import db
from board.models import Comment
from board.moderation import service
from board.moderation.highlight import highlight
from board.moderation.service import Decision, QueueFilter
from board.reports import report_comment
from board.screening.flags import Flag, Severity
from board.timeutil import utcnow
from board.vocabulary import Role, State

pytestmark = pytest.mark.usefixtures("app")


def test_pages_cover_the_queue_once_riskiest_then_oldest(make) -> None:
    thread, author = make.thread(), make.user()
    now = utcnow()
    comments = [make.comment(thread, author, f"c{n}", now=now - timedelta(minutes=n))
                for n in range(7)]
    for n, comment in enumerate(comments):
        comment.risk, comment.flags = (50 if n % 3 == 0 else 0), []
    db.session.commit()
    expected = sorted(comments, key=lambda c: (-c.risk, c.created_at, c.id))
    seen, cursor = [], None
    while True:
        page = service.queue_page(QueueFilter(), cursor=cursor, limit=3)
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
        assert "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert [c.id for c in seen] == [c.id for c in expected]


@pytest.mark.parametrize("cursor", ["nonsense", "e30", "W10", "!!", "x" * 600])
def test_a_bad_cursor_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(ValidationError) as caught:
        service.queue_page(QueueFilter(), cursor=cursor, limit=10)
    assert caught.value.code == "invalid_cursor"


def test_a_cursor_of_another_queue_is_refused(make) -> None:
    thread, author = make.thread(), make.user()
    for _ in range(3):
        make.comment(thread, author, state=State.REJECTED)
    cursor = service.queue_page(QueueFilter("rejected"), cursor=None, limit=1).next_cursor
    with pytest.raises(ValidationError):
        service.queue_page(QueueFilter("pending"), cursor=cursor, limit=1)


@pytest.mark.parametrize(("filters", "code"), [
    (QueueFilter("everything"), "invalid_queue"), (QueueFilter(flag="nope"), "invalid_flag")])
def test_unknown_queues_and_flags(filters, code) -> None:
    with pytest.raises(ValidationError) as caught:
        service.queue_page(filters, cursor=None, limit=10)
    assert caught.value.code == code


def test_reported_queue_and_counts(make) -> None:
    thread, author = make.thread(), make.user()
    approved = make.comment(thread, author, state=State.APPROVED)
    make.comment(thread, author, "I will kill you")
    report_comment(approved.id, make.user(), "spam", None, utcnow())
    counts = service.queue_counts()
    assert counts == {"pending": 1, "reported": 1, "flagged": 1, "rejected": 0,
                      "unpublished": 0, "approved": 1}
    page = service.queue_page(QueueFilter("reported"), cursor=None, limit=10)
    assert [c.id for c in page.items] == [approved.id] and page.next_cursor is None


def test_decide_refuses_unknown_actions_and_comments(make) -> None:
    mod = make.user(Role.MODERATOR)
    comment = make.comment(make.thread(), make.user())
    with pytest.raises(ValidationError):
        service.decide(Decision(comment.id, "withdraw", 1), mod, utcnow())
    with pytest.raises(NotFound):
        service.decide(Decision(999_999, "approve", 1), mod, utcnow())


def test_bulk_items_succeed_or_fail_on_their_own(make) -> None:
    mod = make.user(Role.MODERATOR)
    thread, author = make.thread(), make.user()
    fresh = make.comment(thread, author)
    approved = make.comment(thread, author, state=State.APPROVED)
    stale = make.comment(thread, author)
    results = service.decide_bulk(
        "approve", [(fresh.id, 1), (approved.id, approved.version), (stale.id, 7), (999_999, 1)],
        mod, utcnow(), note="batch")
    assert [(r.ok, r.error["code"] if r.error else None) for r in results] == [
        (True, None), (False, "invalid_transition"), (False, "stale_version"),
        (False, "not_found")]
    assert results[0].state == "approved" and results[0].version == 2
    assert results[2].state == "pending" and results[2].version == 1
    assert db.session.get(Comment, fresh.id).state == State.APPROVED
    with pytest.raises(ValidationError) as caught:
        service.decide_bulk("reject", [(stale.id, 1)], mod, utcnow())
    assert caught.value.code == "reason_required"


def test_a_stale_decision_names_who_decided(make) -> None:
    ada, bo = make.user(Role.MODERATOR, name="Ada"), make.user(Role.MODERATOR, name="Bo")
    comment = make.comment(make.thread(), make.user())
    service.decide(Decision(comment.id, "approve", 1), ada, utcnow())
    with pytest.raises(StaleVersion) as caught:
        service.decide(Decision(comment.id, "reject", 1, "spam"), bo, utcnow())
    assert "Ada" in caught.value.message


@pytest.mark.parametrize(("raw", "spans", "expected"), [
    ("plain <b>", [], "plain &lt;b&gt;"),
    ("say <x> now", [(4, 7, "warn")],
     'say <mark class="flagged flag-warn" title="c0">&lt;x&gt;</mark> now'),
    ("abcdef", [(0, 4, "info"), (2, 6, "block")],
     '<mark class="flagged flag-info" title="c0">ab</mark>'
     '<mark class="flagged flag-block" title="c0, c1">cd</mark>'
     '<mark class="flagged flag-block" title="c1">ef</mark>'),
    ("short", [(3, 99, "warn"), (4, 4, "warn")],
     'sho<mark class="flagged flag-warn" title="c0">rt</mark>'),
])
def test_highlight_escapes_every_segment(raw, spans, expected) -> None:
    flags = [Flag(f"c{n}", Severity(sev), "d", (s, e)) for n, (s, e, sev) in enumerate(spans)]
    assert str(highlight(raw, flags)) == expected
