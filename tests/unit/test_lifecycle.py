"""The lifecycle of SPEC 2, called directly: no HTTP."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board import lifecycle
from board.errors import Forbidden, InvalidTransition, StaleVersion, ValidationError
from board.extensions import db
from board.models import Comment, CommentEvent
from board.timeutil import utcnow
from board.vocabulary import Action, Reason, Role, State

# The table of SPEC 2: (from, action) -> to. Every other pair is invalid.
SPEC_TABLE = {
    (State.PENDING, Action.APPROVE): State.APPROVED,
    (State.PENDING, Action.REJECT): State.REJECTED,
    (State.APPROVED, Action.UNPUBLISH): State.UNPUBLISHED,
    (State.REJECTED, Action.REPUBLISH): State.APPROVED,
    (State.UNPUBLISHED, Action.REPUBLISH): State.APPROVED,
    (State.PENDING, Action.WITHDRAW): State.WITHDRAWN,
    (State.APPROVED, Action.WITHDRAW): State.WITHDRAWN,
}
DECISIONS = [a for a in Action if a != Action.SUBMIT]


def comment_in(state: State, thread, author) -> Comment:  # type: ignore[no-untyped-def]
    """A comment stored directly in ``state`` with a consistent one-row history."""
    now = utcnow()
    comment = Comment(thread=thread, author=author, body_raw="text", body_html="<p>text</p>",
                      state=state, version=1, flags=[], risk=0, consent_at=now,
                      terms_version="t", created_at=now, updated_at=now)
    db.session.add(comment)
    db.session.flush()
    db.session.add(CommentEvent(comment_id=comment.id, version=1, actor_id=author.id,
                                action=Action.SUBMIT, from_state=None, to_state=state,
                                created_at=now))
    db.session.commit()
    return comment


@pytest.fixture
def people(app, make):  # type: ignore[no-untyped-def]
    return {
        "author": make.user(), "other": make.user(), "moderator": make.user(Role.MODERATOR),
        "admin": make.user(Role.ADMIN), "thread": make.thread(),
    }


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", DECISIONS)
def test_every_pair_follows_the_spec_table(people, state, action) -> None:
    comment = comment_in(state, people["thread"], people["author"])
    actor = people["author"] if action == Action.WITHDRAW else people["moderator"]
    expected = SPEC_TABLE.get((state, action))
    if expected is None:
        with pytest.raises(InvalidTransition) as raised:
            lifecycle.transition(comment, action, actor, now=utcnow(), reason=Reason.SPAM)
        assert raised.value.code == "invalid_transition" and raised.value.status == 409
        db.session.rollback()
        assert db.session.get(Comment, comment.id).state == state
        assert db.session.get(Comment, comment.id).version == 1
        return
    event = lifecycle.transition(comment, action, actor, now=utcnow(), reason=Reason.SPAM,
                                 note="checked")
    db.session.commit()
    comment = db.session.get(Comment, comment.id)
    assert comment.state == expected
    assert comment.version == 2
    assert (event.from_state, event.to_state, event.version) == (state, expected, 2)
    assert event.actor_id == actor.id and event.note == "checked"
    assert [e.version for e in comment.events] == [1, 2]


@pytest.mark.parametrize("action", [Action.REJECT, Action.UNPUBLISH])
def test_reject_and_unpublish_need_a_reason(people, action) -> None:
    start = State.PENDING if action == Action.REJECT else State.APPROVED
    comment = comment_in(start, people["thread"], people["author"])
    with pytest.raises(ValidationError) as raised:
        lifecycle.transition(comment, action, people["moderator"], now=utcnow())
    assert raised.value.code == "reason_required"
    event = lifecycle.transition(comment, action, people["moderator"], now=utcnow(),
                                 reason="defamatory")
    db.session.commit()
    assert event.reason == Reason.DEFAMATORY
    assert db.session.get(Comment, comment.id).reason == Reason.DEFAMATORY


def test_republish_clears_the_reason(people) -> None:
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    lifecycle.transition(comment, "reject", people["moderator"], now=utcnow(), reason="spam")
    lifecycle.transition(comment, "republish", people["admin"], now=utcnow(), note="Not spam.")
    db.session.commit()
    comment = db.session.get(Comment, comment.id)
    assert (comment.state, comment.reason, comment.version) == (State.APPROVED, None, 3)


def test_unknown_reason_and_action_are_refused(people) -> None:
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    with pytest.raises(ValidationError) as raised:
        lifecycle.transition(comment, "reject", people["moderator"], now=utcnow(), reason="rude")
    assert raised.value.code == "invalid_reason"
    with pytest.raises(ValidationError) as raised:
        lifecycle.transition(comment, "delete", people["moderator"], now=utcnow())
    assert raised.value.code == "invalid_action"
    with pytest.raises(InvalidTransition):
        lifecycle.transition(comment, "submit", people["moderator"], now=utcnow())


def test_members_cannot_decide_and_only_the_author_withdraws(people) -> None:
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    with pytest.raises(Forbidden):
        lifecycle.transition(comment, "approve", people["author"], now=utcnow())
    with pytest.raises(Forbidden):
        lifecycle.transition(comment, "withdraw", people["other"], now=utcnow())
    with pytest.raises(Forbidden):
        lifecycle.transition(comment, "withdraw", people["moderator"], now=utcnow())
    with pytest.raises(Forbidden):
        lifecycle.transition(comment, "withdraw", lifecycle.SYSTEM, now=utcnow())
    assert db.session.get(Comment, comment.id).version == 1


def test_the_system_can_decide(people) -> None:
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    event = lifecycle.transition(comment, "reject", lifecycle.SYSTEM, now=utcnow(), reason="spam")
    db.session.commit()
    assert event.actor_id is None and event.to_state == State.REJECTED


def test_a_stale_version_is_refused_and_names_who_decided(people) -> None:
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    lifecycle.transition(comment, "approve", people["admin"], now=utcnow(), expected_version=1)
    db.session.commit()
    with pytest.raises(StaleVersion) as raised:
        lifecycle.transition(comment, "approve", people["moderator"], now=utcnow(),
                             expected_version=1)
    assert raised.value.code == "stale_version" and raised.value.status == 409
    assert people["admin"].display_name in raised.value.message
    assert db.session.get(Comment, comment.id).version == 2


def test_a_concurrent_change_in_the_database_is_detected(people) -> None:
    """The guard is in the UPDATE: a copy loaded before another decision cannot win."""
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    db.session.execute(sa.update(Comment).where(Comment.id == comment.id)
                       .values(state=State.REJECTED, version=2, reason=Reason.SPAM))
    db.session.add(CommentEvent(comment_id=comment.id, version=2, actor_id=people["admin"].id,
                                action=Action.REJECT, from_state=State.PENDING,
                                to_state=State.REJECTED, reason=Reason.SPAM, created_at=utcnow()))
    # The in-memory object still says pending, version 1.
    with pytest.raises(StaleVersion):
        lifecycle.transition(comment, "approve", people["moderator"], now=utcnow(),
                             expected_version=1)


def test_history_rows_cannot_be_changed(people) -> None:
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    event = db.session.scalars(sa.select(CommentEvent).where(
        CommentEvent.comment_id == comment.id)).one()
    event.note = "rewritten"
    with pytest.raises(RuntimeError, match="immutable"):
        db.session.flush()
    db.session.rollback()


def test_allowed_actions_match_the_table() -> None:
    for state in State:
        expected = {action for (source, action) in SPEC_TABLE if source == state}
        assert set(lifecycle.allowed_actions(state)) == expected


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(DECISIONS), st.booleans(),
                                st.sampled_from([None, *Reason])), max_size=8))
def test_random_sequences_stay_in_the_spec(people, steps) -> None:
    """Whatever is tried, the state is one the spec defines and history length equals version."""
    comment = comment_in(State.PENDING, people["thread"], people["author"])
    for action, stale, reason in steps:
        before = db.session.get(Comment, comment.id)
        state, version = before.state, before.version
        actor = people["author"] if action == Action.WITHDRAW else people["moderator"]
        try:
            lifecycle.transition(before, action, actor, now=utcnow(), reason=reason,
                                 expected_version=version - 1 if stale else version)
            db.session.commit()
        except (InvalidTransition, StaleVersion, ValidationError):
            db.session.rollback()
            expected, expected_version = state, version
        else:
            assert not stale
            assert (state, action) in SPEC_TABLE
            expected, expected_version = SPEC_TABLE[(state, action)], version + 1
        after = db.session.get(Comment, comment.id)
        assert (after.state, after.version) == (expected, expected_version)
        count = db.session.scalar(sa.select(sa.func.count()).select_from(CommentEvent)
                                  .where(CommentEvent.comment_id == comment.id))
        assert count == after.version
