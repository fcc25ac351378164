"""Suspended staff have no staff power (pages, API, services) until reinstated.

Who may suspend whom: moderators suspend members, an admin suspends staff, nobody acts on
themselves, and the last active admin can be neither suspended nor demoted.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from board import accounts, lifecycle, members, reports
from board.admin import service as admin
from board.errors import AccountSuspended, BoardError, Conflict, Forbidden
from board.extensions import db
from board.models import Comment, Thread, User
from board.timeutil import utcnow
from board.vocabulary import AccountStatus, Role, State

from ..api.conftest import Api, assert_error
from ..builders import csrf_token, sign_in


def _suspend_directly(user: User, until=None) -> None:  # type: ignore[no-untyped-def]
    """Suspend without the rules (to set up a suspended admin)."""
    user.status = AccountStatus.SUSPENDED
    user.suspended_until = until
    user.suspension_reason = "Test"
    db.session.commit()


@pytest.fixture
def people(make):  # type: ignore[no-untyped-def]
    admin_user = make.user(Role.ADMIN, email="ada@example.org", name="Ada")
    mod = make.user(Role.MODERATOR, email="mod@example.org", name="Mo")
    member = make.user(email="member@example.org", name="Mem")
    return admin_user, mod, member


def test_a_suspended_moderator_loses_every_staff_page(client, make, people) -> None:
    ada, mod, member = people
    thread = make.thread()
    comment = make.comment(thread, member)
    sign_in(client, "mod@example.org")
    assert client.get("/moderation/").status_code == 200
    assert "/moderation/" in client.get("/").get_data(as_text=True)
    token = csrf_token(client, "/moderation/")  # taken while still a moderator

    members.suspend(mod.id, ada, "Abused the queue", None, utcnow())

    queue = client.get("/moderation/")
    assert queue.status_code == 403 and "suspended" in queue.get_data(as_text=True)
    assert 'href="/moderation/"' not in client.get("/").get_data(as_text=True)
    decided = client.post(f"/moderation/comments/{comment.id}/decision",
                          data={"csrf_token": token, "action": "approve", "version": "1"})
    assert decided.status_code == 403
    for path in (f"/moderation/members/{member.id}/suspend",
                 f"/moderation/members/{member.id}/reinstate"):
        response = client.post(path, data={"csrf_token": token, "reason": "No reason"})
        assert response.status_code == 403
    assert db.session.get(Comment, comment.id).state == State.PENDING
    assert not db.session.get(User, member.id).is_suspended(utcnow())


def test_a_suspended_moderators_token_has_no_staff_power(client, make, people) -> None:
    ada, mod, member = people
    api = Api(client)
    thread = make.thread()
    comment = make.comment(thread, member)
    token = accounts.issue_token(mod, utcnow(), 3600, "test")[0]
    assert api.get("/moderation/queue", token=token).status_code == 200

    members.suspend(mod.id, ada, "Abused the queue", None, utcnow())

    assert_error(api.get("/moderation/queue", token=token), 403, "account_suspended")
    assert_error(api.post(f"/moderation/comments/{comment.id}/decisions",
                          {"action": "approve", "version": 1}, token=token),
                 403, "account_suspended")
    assert_error(api.post(f"/moderation/members/{member.id}/suspension", {"reason": "x"},
                          token=token), 403, "account_suspended")
    assert_error(api.delete(f"/moderation/members/{member.id}/suspension", token=token),
                 403, "account_suspended")
    assert_error(api.patch(f"/threads/{thread.key}", {"is_open": False}, token=token),
                 403, "account_suspended")
    assert db.session.get(Comment, comment.id).state == State.PENDING
    assert db.session.get(Thread, thread.id).is_open
    # Hidden comments are staff-only: a suspended moderator no longer sees them.
    assert api.get(f"/comments/{comment.id}", token=token).status_code == 404


def test_a_suspended_admin_cannot_demote_the_admin_who_suspended_them(client, make) -> None:
    ada = make.user(Role.ADMIN, email="ada@example.org")
    bob = make.user(Role.ADMIN, email="bob@example.org")
    sign_in(client, "bob@example.org")
    token = csrf_token(client, "/admin/staff")

    members.suspend(bob.id, ada, "Under review", None, utcnow())

    assert client.get("/admin/").status_code == 403
    response = client.post(f"/admin/staff/{ada.id}/role",
                           data={"csrf_token": token, "role": "member"})
    assert response.status_code == 403
    assert db.session.get(User, ada.id).role == Role.ADMIN
    with pytest.raises(AccountSuspended):
        admin.set_role(ada.id, "member", db.session.get(User, bob.id), utcnow())


def test_services_refuse_suspended_staff_whoever_calls_them(make, people) -> None:
    ada, mod, member = people
    thread = make.thread()
    pending = make.comment(thread, member)
    approved = make.comment(thread, member, state=State.APPROVED)
    members.suspend(mod.id, ada, "Cool off", None, utcnow())
    mod = db.session.get(User, mod.id)
    assert mod.has_staff_role and not mod.is_staff
    with pytest.raises(Forbidden):
        lifecycle.transition(pending, "approve", mod, now=utcnow(), expected_version=1)
    db.session.rollback()
    with pytest.raises(Forbidden):
        reports.dismiss_reports(approved.id, mod, utcnow())
    with pytest.raises(AccountSuspended):
        members.suspend(member.id, mod, "Spite", None, utcnow())
    with pytest.raises(AccountSuspended):  # not even their own suspension
        members.reinstate(mod.id, mod, utcnow())


def test_a_dated_suspension_gives_staff_power_back_when_it_lapses(make, people) -> None:
    ada, mod, _ = people
    members.suspend(mod.id, ada, "One hour", utcnow() + timedelta(hours=1), utcnow())
    mod = db.session.get(User, mod.id)
    assert not mod.is_staff
    mod.suspended_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert mod.is_staff


def test_who_may_suspend_whom(make, people) -> None:
    ada, mod, member = people
    other_mod = make.user(Role.MODERATOR)
    now = utcnow()
    members.suspend(member.id, mod, "Spam", None, now)  # a moderator suspends a member
    members.reinstate(member.id, mod, now)
    with pytest.raises(Forbidden):  # ...but not another moderator
        members.suspend(other_mod.id, mod, "No", None, now)
    members.suspend(other_mod.id, ada, "Admins may", None, now)
    # A suspended moderator is still staff by role: only an admin reinstates them.
    with pytest.raises(Forbidden):
        members.reinstate(other_mod.id, mod, now)
    assert not members.can_manage(mod, db.session.get(User, other_mod.id), now)
    assert members.can_manage(ada, db.session.get(User, other_mod.id), now)
    members.reinstate(other_mod.id, ada, now)
    for actor in (ada, mod):  # nobody acts on themselves
        with pytest.raises(Forbidden):
            members.suspend(actor.id, actor, "Myself", None, now)
        assert not members.can_manage(actor, actor, now)


def test_the_last_active_admin_cannot_be_demoted_while_the_other_is_suspended(make) -> None:
    ada = make.user(Role.ADMIN, email="ada@example.org")
    bob = make.user(Role.ADMIN)
    _suspend_directly(bob)
    # Two admins by role, one of them active: the active one cannot step down.
    with pytest.raises(Conflict) as error:
        admin.set_role(ada.id, "moderator", ada, utcnow())
    assert error.value.code == "last_admin"
    assert db.session.get(User, ada.id).role == Role.ADMIN
    # With another active admin, stepping down is allowed.
    carl = make.user(Role.ADMIN)
    admin.set_role(ada.id, "moderator", ada, utcnow())
    assert db.session.get(User, ada.id).role == Role.MODERATOR
    with pytest.raises(Conflict):
        admin.set_role(carl.id, "member", carl, utcnow())
    # A suspended admin may be demoted by an active one: no active admin is lost.
    admin.set_role(bob.id, "member", carl, utcnow())


def test_the_staff_page_shows_who_is_suspended(client, make) -> None:
    make.user(Role.ADMIN, email="ada@example.org")
    mod = make.user(Role.MODERATOR, name="Suspended Sue")
    _suspend_directly(mod)
    sign_in(client, "ada@example.org")
    html = client.get("/admin/staff").get_data(as_text=True)
    row = html[html.index(f'id="user-{mod.id}"'):]
    assert "suspended" in row[:row.index("</tr>")]
    assert f"/moderation/members/{mod.id}" in row[:row.index("</tr>")]
    # The member page lets the admin reinstate the moderator.
    page = client.get(f"/moderation/members/{mod.id}").get_data(as_text=True)
    assert f"/moderation/members/{mod.id}/reinstate" in page


def _at_once(app, calls):  # type: ignore[no-untyped-def]
    """Run each call in its own thread and app context, released together; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                outcomes[index] = calls[index]()
            except BoardError as error:
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _active_admins() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)
                             .where(members.active_admin(utcnow()))) or 0


@pytest.mark.parametrize("attempt", range(3))
def test_two_admins_suspending_each_other_at_once_leave_one_active(app, make, attempt) -> None:
    ada_id = make.user(Role.ADMIN).id
    bob_id = make.user(Role.ADMIN).id

    def suspend(actor_id: int, target_id: int):  # type: ignore[no-untyped-def]
        return lambda: members.suspend(target_id, db.session.get(User, actor_id), "Coup", None,
                                       utcnow())

    outcomes = _at_once(app, [suspend(ada_id, bob_id), suspend(bob_id, ada_id)])
    db.session.expire_all()
    assert _active_admins() == 1, outcomes
    assert sum(isinstance(o, User) for o in outcomes) == 1, outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_two_admins_demoting_each_other_at_once_leave_one_admin(app, make, attempt) -> None:
    ada_id = make.user(Role.ADMIN).id
    bob_id = make.user(Role.ADMIN).id

    def demote(actor_id: int, target_id: int):  # type: ignore[no-untyped-def]
        return lambda: admin.set_role(target_id, "member", db.session.get(User, actor_id),
                                      utcnow())

    outcomes = _at_once(app, [demote(ada_id, bob_id), demote(bob_id, ada_id)])
    db.session.expire_all()
    assert _active_admins() == 1, outcomes
