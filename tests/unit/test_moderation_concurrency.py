"""Two moderators decide the same comment at the same moment: exactly one wins."""
from __future__ import annotations

import threading

import pytest

from board.errors import StaleVersion
from board.extensions import db
from board.models import Comment, User
from board.moderation import service
from board.timeutil import utcnow
from board.vocabulary import Role, State


@pytest.mark.parametrize("actions", [("approve", "reject"), ("approve", "approve")])
def test_exactly_one_of_two_simultaneous_decisions_wins(app, make, actions) -> None:
    comment = make.comment(make.thread(), make.user())
    mods = [make.user(Role.MODERATOR, name="Ada"), make.user(Role.MODERATOR, name="Bo")]
    ids = [m.id for m in mods]
    barrier = threading.Barrier(2)
    outcomes: list[tuple[str, object]] = []
    lock = threading.Lock()

    def moderate(index: int) -> None:
        with app.app_context():  # its own session and connection, as another worker would
            actor = db.session.get(User, ids[index])
            decision = service.Decision(comment.id, actions[index], 1,
                                        "spam" if actions[index] == "reject" else None)
            barrier.wait(timeout=10)
            try:
                result = service.decide(decision, actor, utcnow())
                outcome: tuple[str, object] = ("won", result.state)
            except StaleVersion as error:
                outcome = ("stale", error.message)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcome = ("error", repr(error))
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=moderate, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["stale", "won"], outcomes
    stale_message = next(value for kind, value in outcomes if kind == "stale")
    db.session.expire_all()
    fresh = db.session.get(Comment, comment.id)
    assert fresh.version == 2 and len(service.history(fresh)) == 2
    assert fresh.state in (State.APPROVED, State.REJECTED)
    winner = service.history(fresh)[-1].actor.display_name
    assert f"{winner} already changed this comment" in str(stale_message)
