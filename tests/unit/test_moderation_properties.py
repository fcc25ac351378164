"""Property-based: random sequences of decisions, bulk decisions, withdrawals and reports
never reach a state the spec does not define, follow the spec's table, and leave exactly
one history row per version."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board import settings as board_settings
from board.comments.withdraw import withdraw_comment
from board.errors import BoardError
from board.extensions import db
from board.models import Comment
from board.moderation import service
from board.reports import report_comment
from board.timeutil import utcnow
from board.vocabulary import Role, State

from ..builders import establish

# SPEC 2, written out independently of board.lifecycle.
SPEC = {
    ("pending", "approve"): "approved",
    ("pending", "reject"): "rejected",
    ("approved", "unpublish"): "unpublished",
    ("rejected", "republish"): "approved",
    ("unpublished", "republish"): "approved",
    ("pending", "withdraw"): "withdrawn",
    ("approved", "withdraw"): "withdrawn",
}
THRESHOLD = 2
steps = st.lists(st.one_of(
    st.tuples(st.sampled_from(["decide", "bulk"]),
              st.sampled_from(["approve", "reject", "unpublish", "republish"]),
              st.booleans()),  # whether the moderator saw the current version
    st.tuples(st.just("withdraw"), st.just(""), st.booleans()),  # by the author or not
    st.tuples(st.just("report"), st.sampled_from(["0", "1", "2"]), st.just(True)),
), min_size=1, max_size=12)


@pytest.fixture
def cast(app, make):  # type: ignore[no-untyped-def]
    board_settings.put_setting(board_settings.POLICY_KEY, {"report_threshold": THRESHOLD}, None)
    db.session.commit()
    # Established readers (SPEC 2), so that their reports count toward hiding a comment.
    return {"thread": make.thread(), "author": make.user(), "mod": make.user(Role.MODERATOR),
            "stranger": make.user(), "readers": [establish(make.user()) for _ in range(3)]}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_random_sequences_follow_the_spec(cast, make, sequence) -> None:
    comment = make.comment(cast["thread"], cast["author"], "A comment to push around.")
    comment.flags, comment.risk = [], 0
    db.session.commit()
    state, reporters, open_reports = "pending", set(), 0
    for kind, arg, flag in sequence:
        now = utcnow()
        version = comment.version if flag else comment.version + 5
        if kind in ("decide", "bulk"):
            expected = SPEC.get((state, arg)) if flag else None
            reason = "spam" if arg in ("reject", "unpublish") else None
            if kind == "decide":
                try:
                    service.decide(service.Decision(comment.id, arg, version, reason), cast["mod"],
                                   now)
                    ok = True
                except BoardError:
                    db.session.rollback()
                    ok = False
            else:
                [result] = service.decide_bulk(arg, [(comment.id, version)], cast["mod"], now,
                                               reason=reason)
                ok = result.ok
            assert ok == (expected is not None), (state, arg, flag)
            if ok:
                state, open_reports = expected, 0
        elif kind == "withdraw":
            actor = cast["author"] if flag else cast["stranger"]
            expected = SPEC.get((state, "withdraw")) if flag else None
            try:
                withdraw_comment(comment.id, actor, now)
                ok = True
            except BoardError:
                db.session.rollback()
                ok = False
            assert ok == (expected is not None)
            if ok:
                state, open_reports = expected, 0
        else:
            reader = cast["readers"][int(arg)]
            try:
                _, created = report_comment(comment.id, reader, "spam", None, now)
            except BoardError:
                db.session.rollback()
                assert state != "approved"
            else:
                assert state == "approved"
                assert created == (reader.id not in reporters)
                if created:
                    reporters.add(reader.id)
                    open_reports += 1
                if open_reports >= THRESHOLD:
                    state = "unpublished"
        db.session.expire_all()
        comment = db.session.get(Comment, comment.id)
        history = service.history(comment)
        assert comment.state.value == state
        assert len(history) == comment.version
        assert [e.version for e in history] == list(range(1, comment.version + 1))
        assert history[-1].to_state == comment.state
        for before, after in zip(history, history[1:], strict=False):
            assert after.from_state == before.to_state
            assert SPEC[(before.to_state.value, after.action.value)] == after.to_state.value
